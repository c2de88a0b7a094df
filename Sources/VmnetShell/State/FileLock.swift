import Glibc
import VmnetCore

/// An exclusive lock on a file, held for the whole of a command that allocates or changes
/// state, so concurrent `vmnet create` calls see each other's networks.
public final class FileLock {
    private let descriptor: Int32

    /// Waits for the lock; with `waitingAtMost` (milliseconds) gives up after that long, for
    /// callers that must never hang (a container's OCI hook).
    public init(path: String, waitingAtMost milliseconds: Int? = nil) throws(VmnetError) {
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("opening lock \(path): \(String(cString: strerror(errno)))") }
        var waited = 0
        while flock(descriptor, milliseconds == nil ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK, let milliseconds {
                if waited >= milliseconds {
                    close(descriptor)
                    throw .failed("locking \(path): another vmnet command held it for \(milliseconds) ms")
                }
                usleep(10_000)
                waited += 10
            } else if errno != EINTR {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .failed("locking \(path): \(reason)")
            }
        }
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock at `path` without waiting and holds it while the value lives; nil when
    /// another process holds it. For a lock that marks a running process (`vmnet watch`'s pid
    /// file, readable by all with `mode` 0o644).
    public static func holdingUnlessHeld(_ path: String, mode: mode_t = 0o600) throws(VmnetError) -> FileLock? {
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .failed("opening lock \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return FileLock(descriptor: descriptor)
    }

    /// Replaces the locked file's contents (a pid file's pid).
    public func replaceContents(_ text: String) {
        ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// What a lock taken without waiting gave: `body`'s result, a command holding the lock, or
    /// no lock file this user can open (or lock).
    public enum Attempt<T> {
        case done(T)
        case held
        case unavailable
    }

    /// Takes the lock at `path` without waiting (shared or exclusive), runs `body` holding it
    /// and lets it go; creates nothing. For the commands that only read, which must never wait.
    public static func attempt<T>(_ path: String, exclusive: Bool, _ body: () -> T) -> Attempt<T> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unavailable }
        defer { close(descriptor) }
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else { return errno == EWOULDBLOCK ? .held : .unavailable }
        defer { flock(descriptor, LOCK_UN) }
        return .done(body())
    }

    /// Runs `body` holding the lock at `path` shared, so that no changing command runs
    /// meanwhile; nil, without running it, when a command holds the lock. Waits for nothing:
    /// for the commands that only read. Without a lock file this user can open, no command
    /// can be told to hold it, and `body` runs unlocked.
    public static func unlessHeld<T>(_ path: String, _ body: () -> T) -> T? {
        switch attempt(path, exclusive: false, body) {
        case .done(let result): result
        case .held: nil
        case .unavailable: body()
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
