import Glibc

/// Asks a unix stream socket whether anything listens on it. connect() succeeds only while
/// a process accepts there; the file a stopped daemon leaves behind refuses (ECONNREFUSED),
/// so the file's existence alone says nothing.
public enum UnixSocket {
    public enum State: Sendable, Equatable {
        case listening
        /// The file is there but nothing accepts: its daemon stopped.
        case refusing
        case absent
    }

    public static func state(_ path: String) -> State {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return .absent }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .absent }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result == 0 { return .listening }
        switch errno {
        // A full backlog (EAGAIN on a non-blocking socket) still means a listener.
        case EAGAIN, EINPROGRESS: return .listening
        case ENOENT, ENOTDIR: return .absent
        default: return .refusing
        }
    }
}
