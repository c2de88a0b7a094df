/// A file or directory's owner and permission bits, to tell whether an unprivileged user
/// (dnsmasq runs as `nobody`) can reach it.
public struct FileAccess: Hashable, Sendable {
    public let path: String
    public let owner: UInt32
    public let group: UInt32
    /// The permission bits (0o7777 of st_mode).
    public let mode: UInt32
    public let isDirectory: Bool

    public init(path: String, owner: UInt32, group: UInt32, mode: UInt32, isDirectory: Bool) {
        self.path = path
        self.owner = owner
        self.group = group
        self.mode = mode
        self.isDirectory = isDirectory
    }

    /// A directory must let the user search it, a file read it.
    public func allows(uid: UInt32, gid: UInt32) -> Bool {
        let bit: UInt32 = isDirectory ? 1 : 4
        if uid == 0 { return true }
        if uid == owner { return mode & (bit << 6) != 0 }
        if gid == group { return mode & (bit << 3) != 0 }
        return mode & bit != 0
    }

    public var modeText: String {
        let octal = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - octal.count)) + octal
    }
}
