import Glibc
import VmnetCore

/// The real host: its files, getifaddrs, PATH, the passwd database, the clock and the
/// effective user.
public struct SystemHost: HostReader {
    public init() {}

    public func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>]) { try InterfaceTable.read() }

    public func addressTable() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>], addresses6: [InterfaceAddress<IPv6Address>]) {
        try InterfaceTable.readBoth()
    }

    public func readIfPresent(_ path: String) -> String? { FileSystem.readIfPresent(path) }

    public func readUnlessMissing(_ path: String) throws(VmnetError) -> String? { try FileSystem.readUnlessMissing(path) }

    public func entries(of directory: String) -> [String]? { FileSystem.entries(of: directory) }

    public func status(of path: String) -> FileAccess? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileAccess(path: path, owner: info.st_uid, group: info.st_gid, mode: UInt32(info.st_mode & 0o7777),
                          isDirectory: (info.st_mode & S_IFMT) == S_IFDIR)
    }

    public func readLink(_ path: String) -> String? { FileSystem.readLink(path) }

    public func realPath(_ path: String) -> String? { FileSystem.realPath(path) }

    public func executable(_ program: String) -> String? { ExecutableLocator.find(program) }

    public func account(_ user: String) -> (uid: UInt32, gid: UInt32)? {
        guard let entry = getpwnam(user)?.pointee else { return nil }
        return (entry.pw_uid, entry.pw_gid)
    }

    public func now() -> Int64 { Int64(time(nil)) }

    public var effectiveUserID: UInt32 { geteuid() }
}
