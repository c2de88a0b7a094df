/// What `list`, `show` and `doctor` say about a journal a killed command left: they only read,
/// so what they show may be half of a change until the next changing command finishes it.
public enum PendingRecovery {
    /// One line for standard error, naming the killed command when its journal can be read.
    public static func notice(_ found: Result<Intent, VmnetError>) -> String {
        switch found {
        case .success(let intent):
            let networks = intent.networks.map { " of " + $0.map(\.value).joined(separator: ", ") } ?? ""
            return "a killed 'vmnet \(intent.command.rawValue)'\(networks) is pending: the next vmnet command finishes it, what is shown may be half done"
        case .failure(let error):
            return "a killed vmnet command left a journal that cannot be read (\(error.message)): the next vmnet command cleans up from the records"
        }
    }
}
