import JSON
import VmnetCore

/// The journal file (`STATE/intent.json`): what the running changing command is about to do.
public struct IntentJournal: Sendable {
    public let path: String

    public init(paths: Paths) { path = paths.stateDirectory + "/" + Intent.fileName }

    /// Written atomically and fsync'ed before the command's first effect.
    public func write(_ intent: Intent) throws(VmnetError) {
        try FileSystem.writeAtomically(JSONCodec.serialize(intent.json), to: path, mode: 0o600, durable: true)
    }

    /// nil when there is no journal; `.failure` when one is there but cannot be read.
    public func read() -> Result<Intent, VmnetError>? {
        do { return try StateFile.read(path) { (text) throws(VmnetError) in try Intent(text: text, file: path) }.map { .success($0) } } catch {
            return .failure(error)
        }
    }

    public func remove() { FileSystem.remove(path) }
}
