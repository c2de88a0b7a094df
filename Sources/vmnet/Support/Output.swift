import Glibc
import JSON
import VmnetShell

/// Writes to standard output and error.
enum Output {
    static func json(_ value: JSONValue) {
        print(JSONCodec.serialize(value), terminator: "")
    }

    static func text(_ text: String) {
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }

    @Sendable
    static func note(_ text: String) {
        StandardError.write("vmnet: \(text)\n")
    }

    /// A step that failed without failing the command (see `Warnings`).
    @Sendable
    static func warning(_ text: String) {
        StandardError.write("vmnet: warning: \(text)\n")
    }
}
