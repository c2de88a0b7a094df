import JSON
import VmnetCore

/// The journal file (`STATE/intent.json`): what the running changing command is about to do.
public struct IntentJournal: Sendable {
    public let path: String

    public init(paths: Paths) { path = paths.stateDirectory + "/" + Intent.fileName }

    /// Written atomically before the command's first effect, and not fsync'ed: the journal
    /// only has to outlive the process (a kill), which the page cache already gives. After a
    /// power loss everything it protects — bridges, dnsmasq instances, firewall elements — is
    /// gone anyway, and the clean-up that follows a lost journal (whatever no record owns
    /// goes) starts from the records alone. The two fsyncs (file and directory) cost ~0.7 ms
    /// on every changing command on this machine's ext4.
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
