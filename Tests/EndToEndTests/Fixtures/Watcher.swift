import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// `vmnet watch` running in a world's host namespace (as vmnet-watch.service would), started
/// through the shared host and killed by pid at the end.
final class Watcher: @unchecked Sendable {
    let shared: SharedHost
    let world: VmnetWorld
    let name: String
    private(set) var pid: pid_t = 0

    nonisolated(unsafe) private static var started = 0

    init(_ world: VmnetWorld, in shared: SharedHost) throws {
        self.shared = shared
        self.world = world
        Watcher.started += 1
        name = "watch\(Watcher.started)"
        let variables = world.environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // This namespace's own sysfs, as `ip netns exec` mounts it: vmnet reads which bridges
        // exist from /sys/class/net, and nsenter --net leaves the machine's there (without it
        // watch took libvirt's virbr0 for absent, and its reject for a drop to get around).
        pid = try shared.startDaemon(name, script: "mount -t sysfs sysfs /sys && exec env \(variables) \(EndToEnd.binary) watch\n")
        let listening = shared.wait(10) { FileSystem.readIfPresent(pidFile)?.hasPrefix("\(pid)") == true }
        try #require(listening, "vmnet watch did not start: \(log)")
    }

    var pidFile: String { world.runDirectory + "/" + FirewallWatcher.pidFileName }
    var log: String { shared.log(name) }
    /// The "repaired: NET: what" lines logged so far.
    var repairs: [String] { log.split(separator: "\n").map(String.init).filter { $0.contains("repaired: ") } }

    /// User and system CPU time spent so far, in clock ticks (/proc/PID/stat fields 14 and 15).
    var cpuTicks: Int {
        let stat = FileSystem.readIfPresent("/proc/\(pid)/stat") ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return -1 }
        return user + system
    }

    /// Waits until `count` repairs were logged (up to `seconds`), then `quiet` seconds more
    /// to see that no other one follows.
    func repairs(reaching count: Int, within seconds: Int = 10, quiet: Double = 1.5) -> [String] {
        _ = shared.wait(seconds) { repairs.count >= count }
        usleep(UInt32(quiet * 1_000_000))
        return repairs
    }

    /// SIGTERM; true when it exited by itself.
    func stop() -> Bool { shared.stopDaemon(pid, within: 5) }
}
