import CLinuxShims
import Glibc
import VmnetCore

/// `vmnet watch`: waits for the host's firewall to change (nftables notifications, never a
/// polling loop), lets a burst of changes settle, then has the controller put back what is
/// missing. One instance per run directory, found by the lock on its pid file.
public struct FirewallWatcher {
    /// How long the ruleset must stay quiet before the check: a firewalld reload or a
    /// dockerd start changes it in bursts over ~1 s, and checking between them repairs twice.
    public static let settle: Int32 = 200
    public static let pidFileName = "watch.pid"

    let controller: NetworkController
    let paths: Paths
    /// Where each repair's line goes (stderr).
    let log: (String) -> Void

    public init(controller: NetworkController, paths: Paths, log: @escaping (String) -> Void) {
        self.controller = controller
        self.paths = paths
        self.log = log
    }

    public static func pidFile(_ paths: Paths) -> String { paths.runDirectory + "/" + pidFileName }

    /// The pid of the running watcher, nil when none runs (its pid file is locked while it lives).
    public static func runningPid(_ paths: Paths) -> pid_t? {
        let path = pidFile(paths)
        guard case .held = FileLock.attempt(path, exclusive: true, { () }) else { return nil }
        return FileSystem.readIfPresent(path).flatMap { pid_t($0.filter(\.isNumber)) }
    }

    /// Runs until SIGTERM or SIGINT; repairs once at the start for what changed while no
    /// watcher ran.
    public func run() throws(VmnetError) {
        try controller.requireRoot()
        let pidFile = Self.pidFile(paths)
        try FileSystem.makeDirectories(paths.runDirectory)
        let lock = open(pidFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw .failed("starting the watcher: opening \(pidFile): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            let pid = FileSystem.readIfPresent(pidFile)?.filter(\.isNumber) ?? "?"
            throw .conflict("starting the watcher: 'vmnet watch' already runs (pid \(pid)): stop that one first")
        }
        let pidText = "\(getpid())\n"
        ftruncate(lock, 0)
        _ = pidText.withCString { write(lock, $0, strlen($0)) }
        defer { unlink(pidFile) }

        let stop = vmnet_termination_fd()
        guard stop >= 0 else { throw .failed("starting the watcher: \(String(cString: strerror(-stop)))") }
        let events = try NftablesEvents()
        repair()
        while true {
            guard wait(events, stop, timeout: -1) else { return }
            // Let the burst settle: every change within `settle` ms of the last one joins it.
            var quiet = false
            while !quiet {
                events.drain()
                var fds = [pollfd(fd: events.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&fds, 2, Self.settle)
                if ready > 0 && fds[1].revents != 0 { return }
                quiet = ready == 0
            }
            repair()
        }
    }

    /// False when a termination signal came; true when the ruleset changed.
    private func wait(_ events: NftablesEvents, _ stop: Int32, timeout: Int32) -> Bool {
        while true {
            var fds = [pollfd(fd: events.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 { return false }
            if fds[0].revents != 0 { return true }
        }
    }

    /// A failed repair is logged and waited out: the next change tries again.
    private func repair() {
        do {
            for line in try controller.repairFirewalls() { log(line) }
        } catch {
            log("repair failed: \(error.message)")
        }
    }
}
