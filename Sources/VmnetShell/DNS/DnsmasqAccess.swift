import CLinuxShims
import Glibc
import VmnetCore

/// dnsmasq starts as root, drops to `nobody`, and re-reads its host lists as that user on
/// every SIGHUP: a list it cannot reach is silently not served (a `host add` then answered
/// NXDOMAIN). Measured: under root's umask 077 vmnet's directories came out 0700.
public enum DnsmasqAccess {
    public static let user = "nobody"

    /// Opens vmnet's own directories on the way to the lists (0755, whatever the umask) and
    /// checks, as dnsmasq's user, that the lists are readable; a closed parent that is not
    /// vmnet's own is named in the error, never changed.
    public static func ensureReadable(_ files: [String], ownDirectories: [String]) throws(VmnetError) {
        for directory in ownDirectories where FileSystem.isDirectory(directory) { chmod(directory, 0o755) }
        guard let entry = getpwnam(user) else { return }
        let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        for file in files where !openToOthers(file) && vmnet_access_as(file, uid, gid, R_OK) != 0 {
            var blocker = file
            var directory = FileSystem.parent(of: file)
            while directory != "/" && !directory.isEmpty {
                if vmnet_access_as(directory, uid, gid, X_OK) != 0 { blocker = directory }
                directory = FileSystem.parent(of: directory)
            }
            var info = stat()
            let mode = stat(blocker, &info) == 0 ? " (mode " + String(info.st_mode & 0o7777, radix: 8) + ")" : ""
            throw .failed("making \(file) readable for dnsmasq: user \(user), which dnsmasq runs as, cannot reach \(blocker)\(mode): chmod o+x the directories above it, or move vmnet's state with VMNET_STATE_DIR")
        }
    }

    /// The common case without a fork (~1 ms each): the file is world-readable and every
    /// directory above it world-traversable.
    private static func openToOthers(_ file: String) -> Bool {
        var info = stat()
        guard stat(file, &info) == 0, info.st_mode & S_IROTH != 0 else { return false }
        var directory = FileSystem.parent(of: file)
        while true {
            guard stat(directory, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            if directory == "/" || directory.isEmpty { return true }
            directory = FileSystem.parent(of: directory)
        }
    }
}
