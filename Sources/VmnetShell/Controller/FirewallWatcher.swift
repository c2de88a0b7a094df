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
        guard let lock = try FileLock.holdingUnlessHeld(pidFile, mode: 0o644) else {
            let pid = FileSystem.readIfPresent(pidFile)?.filter(\.isNumber) ?? "?"
            throw .conflict("starting the watcher: 'vmnet watch' already runs (pid \(pid)): stop that one first")
        }
        try withExtendedLifetime(lock) { () throws(VmnetError) in
            lock.replaceContents("\(getpid())\n")
            // Removed while still held: removed after the lock is let go, it could be the pid file
            // of a watcher that started meanwhile.
            defer { unlink(pidFile) }
            let stop = vmnet_termination_fd()
            guard stop >= 0 else { throw .failed("starting the watcher: \(String(cString: strerror(-stop)))") }
            let events = try NftablesEvents()
            repair()
            while next(events, stop, timeout: -1) == .changed {
                // Let the burst settle: every change within `settle` ms of the last one joins it.
                var event = Event.changed
                while event == .changed {
                    events.drain()
                    event = next(events, stop, timeout: Self.settle)
                }
                guard event == .quiet else { return }
                repair()
            }
        }
    }

    private enum Event { case changed, stopped, quiet }

    /// The ruleset changed, a termination signal came, or `timeout` ms passed (-1: never).
    private func next(_ events: NftablesEvents, _ stop: Int32, timeout: Int32) -> Event {
        while true {
            var fds = [pollfd(fd: events.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 { return .stopped }
            if fds[0].revents != 0 { return .changed }
            if ready == 0 { return .quiet }
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
