import Glibc
import VmnetCore

/// An exclusive lock on a file, held for the whole of a command that allocates or changes
/// state, so concurrent `vmnet create` calls see each other's networks.
public final class FileLock {
    private let descriptor: Int32

    public init(path: String) throws(VmnetError) {
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("opening lock \(path): \(String(cString: strerror(errno)))") }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .failed("locking \(path): \(reason)")
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
