import Glibc
import VmnetCore

/// Writes a sysctl through /proc/sys.
enum Sysctl {
    /// Writes `value` to `file`; returns why it failed, or nil.
    static func write(_ value: String, to file: String) -> String? {
        // A sysctl refuses a value at write(), not at open(): check both, and close.
        let descriptor = open(file, O_WRONLY)
        guard descriptor >= 0 else { return "cannot open \(file): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        let line = value + "\n"
        let written = line.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        guard written == line.utf8.count else { return "writing \(file) failed: \(String(cString: strerror(errno)))" }
        return nil
    }
}
