import VmnetCore

/// What vmnet reads of the host outside its own state: files under /proc and /sys, other
/// tools' files, programs on PATH, the clock and the caller's identity. Injected so doctor,
/// the container hook and the firewall backends run in tests against a host of the test's
/// making (a temporary root), without root.
public protocol HostAccess: Sendable {
    /// The file's text; nil when it is missing or cannot be read.
    func readIfPresent(_ path: String) -> String?
    /// The file's text, nil when it does not exist; any other failure is an error, so an
    /// unreadable file never passes for an empty one.
    func readUnlessMissing(_ path: String) throws(VmnetError) -> String?
    /// The names in a directory, sorted; nil when it cannot be read.
    func entries(of directory: String) -> [String]?
    /// Owner, group and mode of a path (links followed); nil when nothing is there.
    func status(of path: String) -> FileAccess?
    /// A symbolic link's target; nil when the path is no link.
    func readLink(_ path: String) -> String?
    /// The path with every link resolved; nil when it does not exist.
    func realPath(_ path: String) -> String?
    /// The full path of `program` when it is installed.
    func executable(_ program: String) -> String?
    /// A user's uid and primary gid.
    func account(_ user: String) -> (uid: UInt32, gid: UInt32)?
    /// Seconds since the epoch.
    func now() -> Int64
    var effectiveUserID: UInt32 { get }
}

extension HostAccess {
    public func exists(_ path: String) -> Bool { status(of: path) != nil }

    /// The names in a directory; none when it cannot be read.
    public func list(_ directory: String) -> [String] { entries(of: directory) ?? [] }

    /// Whether the caller may change links, rules and system files.
    public var isPrivileged: Bool { effectiveUserID == 0 }
}
