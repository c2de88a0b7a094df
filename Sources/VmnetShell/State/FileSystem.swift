import Glibc
import VmnetCore

/// The file operations vmnet needs, over plain system calls. Writes are atomic: a temporary
/// file in the same directory, then rename, so readers (and podman's directory watch) never
/// see half a file.
public enum FileSystem {
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func read(_ path: String) throws(VmnetError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .failed("reading \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // Sized to the file, not a fixed 64 KiB: `up` of the 50th network reads ~110 files,
        // and zeroing a 64 KiB buffer for each cost 7.4 M instructions (6% of that command).
        // /proc and /sys files report a size of 0 and are read in growing chunks.
        var info = stat()
        let size = fstat(descriptor, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : 0
        var bytes = [UInt8](repeating: 0, count: size > 0 ? size + 1 : 16384)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .failed("reading \(path): \(String(cString: strerror(errno)))")
            }
            filled += count
        }
        return String(decoding: bytes[0..<filled], as: UTF8.self)
    }

    public static func readIfPresent(_ path: String) -> String? { try? read(path) }

    /// The file's text, nil when it does not exist; any other failure (no permission, a
    /// directory) is an error, so an unreadable file never passes for an empty one.
    public static func readUnlessMissing(_ path: String) throws(VmnetError) -> String? {
        var info = stat()
        if lstat(path, &info) != 0 && errno == ENOENT { return nil }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .failed("reading \(path): it is a directory: remove it") }
        return try read(path)
    }

    /// `durable`: the data and the rename reach the disk before it returns (fsync of the file
    /// and of its directory), for what must survive a crash of the machine: ula.json, hosts.json, forwards.json.
    public static func writeAtomically(_ text: String, to path: String, mode: mode_t = 0o644, durable: Bool = false) throws(VmnetError) {
        let temporary = "\(parent(of: path))/.\(baseName(path)).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .failed("writing \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw .failed("writing \(path): \(reason)")
            }
            written += result
        }
        fchmod(descriptor, mode)
        if durable && fsync(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw .failed("writing \(path): \(reason)")
        }
        close(descriptor)
        FaultInjection.reachWrite(of: path)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .failed("writing \(path): \(reason)")
        }
        if durable {
            let directory = open(parent(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directory >= 0 {
                fsync(directory)
                close(directory)
            }
        }
    }

    /// `writeAtomically`, or, when that fails for want of space, an overwrite in place if
    /// the file's blocks already hold the new text: taking a network down must work on a full
    /// disk, and its record changes by a byte. Not atomic, so only for that case.
    public static func writeAtomicallyOrInPlace(_ text: String, to path: String) throws(VmnetError) {
        do { try writeAtomically(text, to: path) } catch {
            var info = stat()
            let bytes = Array(text.utf8)
            guard stat(path, &info) == 0, Int(info.st_blocks) * 512 >= bytes.count else { throw error }
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw error }
            defer { close(descriptor) }
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, bytes.count, 0) }
            guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0, fsync(descriptor) == 0 else { throw error }
        }
    }

    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(VmnetError) {
        if isDirectory(path) { return }
        let parentPath = parent(of: path)
        if parentPath != path && !isDirectory(parentPath) { try makeDirectories(parentPath, mode: mode) }
        if mkdir(path, mode) != 0 {
            if errno == EEXIST { return }
            throw .failed("creating directory \(path): \(String(cString: strerror(errno)))")
        }
        // mkdir's mode passes through the umask (077 on hardened hosts would hide it from
        // dnsmasq's user).
        chmod(path, mode)
    }

    public static func list(_ path: String) -> [String] { entries(of: path) ?? [] }

    /// The names in a directory, sorted; nil when it cannot be opened.
    public static func entries(of path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func remove(_ path: String) {
        unlink(path)
    }

    /// Removes a directory tree vmnet made (no links are followed).
    public static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The target of the symbolic link at `path`, or nil when it is none.
    public static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let count = readlink(path, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
    }

    /// `path` with every link resolved, or nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(validatingCString: resolved)
    }

    public static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
