import Glibc
@testable import VmnetShell
import VmnetCore

/// The fake host: its links from the log, every tool installed but the `missing` ones, and
/// its files under a temporary root: "/proc/net/udp" is read at `root`/proc/net/udp, while a
/// path already inside the root (the state directories the tests give vmnet) is read as is.
/// Nothing of the real host's /proc or /sys is seen.
struct FakeHost: HostReader {
    let log: EffectLog
    let root: String
    var privileged = true
    /// Programs this host lacks.
    var missing: Set<String> = []
    /// What `now()` says.
    var clock: Int64 = 1_700_000_000
    /// The passwd database.
    var accounts: [String: (uid: UInt32, gid: UInt32)] = ["nobody": (65534, 65534)]

    func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>]) { (log.interfaces, []) }
    func executable(_ program: String) -> String? { missing.contains(program) ? nil : "/usr/bin/" + program }
    var effectiveUserID: UInt32 { privileged ? 0 : 1000 }
    func now() -> Int64 { clock }
    func account(_ user: String) -> (uid: UInt32, gid: UInt32)? { accounts[user] }

    /// Where the fake keeps `path`: the root itself, what is in it and the directories above
    /// it are the real ones.
    func inside(_ path: String) -> String {
        path == root || path.hasPrefix(root + "/") || root.hasPrefix(path + "/") ? path : root + path
    }

    func readIfPresent(_ path: String) -> String? { FileSystem.readIfPresent(inside(path)) }
    func readUnlessMissing(_ path: String) throws(VmnetError) -> String? { try FileSystem.readUnlessMissing(inside(path)) }
    func entries(of directory: String) -> [String]? { FileSystem.entries(of: inside(directory)) }

    func status(of path: String) -> FileAccess? {
        guard let found = SystemHost().status(of: inside(path)) else { return nil }
        return FileAccess(path: path, owner: found.owner, group: found.group, mode: found.mode, isDirectory: found.isDirectory)
    }

    func readLink(_ path: String) -> String? { SystemHost().readLink(inside(path)) }
    func realPath(_ path: String) -> String? { path }

    /// Writes a file of the fake host (its directories made as needed).
    func write(_ text: String, to path: String) throws(VmnetError) {
        try FileSystem.makeDirectories(FileSystem.parent(of: inside(path)))
        try FileSystem.writeAtomically(text, to: inside(path))
    }

    /// Makes `path` a symbolic link to `target` (a /proc/PID/fd entry).
    func link(_ path: String, to target: String) throws(VmnetError) {
        try FileSystem.makeDirectories(FileSystem.parent(of: inside(path)))
        guard symlink(target, inside(path)) == 0 else { throw .failed("linking \(path): errno \(errno)") }
    }
}
