import JSON
import VmnetCore

/// The journal file (`STATE/intent.json`): what the running changing command is about to do.
public struct IntentJournal: Sendable {
    public let path: String

    public init(paths: Paths) { path = paths.stateDirectory + "/" + Intent.fileName }

    /// Written atomically before the command's first effect, and not fsync'ed: it only has to
    /// outlive the process. Everything it protects — bridges, keeper pairs, dnsmasq, firewall
    /// rules, the run directory — is gone after a power loss anyway, and what must survive one
    /// (records, host lists, forwards, ula.json) is written durably by its own store. A
    /// SIGKILL leaves the page cache intact, so the next command still finds the journal.
    /// (The two fsyncs, file and directory, cost ~2 ms of every changing command.)
    public func write(_ intent: Intent) throws(VmnetError) {
        try FileSystem.writeAtomically(JSONCodec.serialize(intent.json), to: path, mode: 0o600)
    }

    /// nil when there is no journal; `.failure` when one is there but cannot be read.
    public func read() -> Result<Intent, VmnetError>? {
        do { return try StateFile.read(path) { (text) throws(VmnetError) in try Intent(text: text, file: path) }.map { .success($0) } } catch {
            return .failure(error)
        }
    }

    public func remove() { FileSystem.remove(path) }

    /// Removes what a command killed while writing the journal left: its temporary file (the
    /// rename never happened, so there is no journal to recover, and nothing else sweeps it).
    /// Only under the state lock: no other command is writing one then.
    public func sweepTemporaries() {
        let directory = FileSystem.parent(of: path)
        let prefix = "." + FileSystem.baseName(path) + "."
        for name in FileSystem.list(directory) where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            FileSystem.remove(directory + "/" + name)
        }
    }
}
