import VmnetCore

/// The one way vmnet reads its own state files (records, reservations, forwards, installed
/// runtimes, the unique local prefix, the journal): nil when the file does not exist; a file
/// that cannot be read or does not decode is an error naming it, never an empty one.
public enum StateFile {
    /// What to do about a file vmnet refuses to change while it cannot be read.
    public static let restore = "restore the file; vmnet does not change it while it cannot be read"

    /// `decode` gets the text; its error keeps its code and gets `fix` after it.
    public static func read<T>(_ file: String, fix: String? = nil, _ decode: (String) throws(VmnetError) -> T) throws(VmnetError) -> T? {
        guard let text = try FileSystem.readUnlessMissing(file) else { return nil }
        do { return try decode(text) } catch { throw fix.map(error.fix) ?? error }
    }
}
