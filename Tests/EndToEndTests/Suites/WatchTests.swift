import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// `vmnet watch`: after the host's firewall dropped vmnet's rules, a NAT guest's new flows and
/// guest-to-guest traffic work again by themselves, and the watcher then goes quiet.
@Suite("vmnet watch, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct WatchTests {
    /// Two guests on `name`, the second running the echo server: (first guest, [uplink, second guest]).
    static func guests(_ world: VmnetWorld, on name: String, tag: String) throws -> (String, [IPv4Address]) {
        let (first, _) = try world.leasedClient(on: name, hostname: "\(tag)a")
        let (second, lease) = try world.leasedClient(on: name, hostname: "\(tag)b")
        try Traffic.startEcho(in: second, sandbox: world.sandbox)
        return (first, [Sandbox.uplinkAddress, lease.address])
    }

    /// Runs `trigger` and returns the seconds from its end until the guest's traffic worked.
    static func recovery(_ label: String, from guest: String, to targets: [IPv4Address], _ world: VmnetWorld, trigger: () throws -> Void) throws -> Double {
        let started = ContinuousClock.now
        try trigger()
        let triggered = ContinuousClock.now - started
        let seconds = try #require(try Recovery.seconds(from: guest, to: targets, sandbox: world.sandbox), "\(label): no traffic within 5 s")
        print("recovery after \(label): \(String(format: "%.2f", seconds)) s (the trigger itself took \(triggered))")
        #expect(seconds < 2, "\(label): \(seconds) s")
        return seconds
    }

    @Test func rulesComeBackAfterAnNftFlushAndTheWatcherGoesQuiet() throws {
        let shared = try SharedHost("wn")
        defer { shared.tearDown() }
        let world = shared.world()
        try world.ok("create", "wn")
        let (guest, targets) = try Self.guests(world, on: "wn", tag: "n")
        #expect(try Recovery.seconds(from: guest, to: targets, sandbox: world.sandbox) != nil)

        // Without a watcher a flush stays broken; the watcher's first check repairs it.
        try world.inHost("nft", "flush", "ruleset").requireSuccess("flushing the ruleset")
        #expect(try Recovery.seconds(from: guest, to: [Sandbox.uplinkAddress], sandbox: world.sandbox, deadline: 1) == nil)
        let watcher = try Watcher(world, in: shared)
        defer { _ = watcher.stop() }
        #expect(watcher.repairs(reaching: 1, quiet: 0).first?.hasPrefix("vmnet: repaired: wn: table inet vmnet is missing") == true, "\(watcher.log)")
        #expect(try Recovery.seconds(from: guest, to: targets, sandbox: world.sandbox) != nil)

        // One instance: a second names the first's pid.
        let second = try world.vmnet("watch")
        #expect(second.status == 4 && second.standardError.contains("pid \(watcher.pid)"), "\(second.standardError)")
        #expect(try world.doctor("wn").details["watch"]?.contains("pid \(watcher.pid)") == true)

        _ = try Self.recovery("nft flush ruleset", from: guest, to: targets, world) {
            try world.inHost("nft", "flush", "ruleset").requireSuccess("flushing the ruleset")
        }
        // One repair per flush, then silence: the repair's own events find nothing missing.
        let ticks = watcher.cpuTicks
        #expect(watcher.repairs(reaching: 2, quiet: 2).count == 2, "\(watcher.log)")
        #expect(watcher.cpuTicks - ticks <= 2, "the watcher kept working: \(watcher.cpuTicks - ticks) ticks")

        #expect(watcher.stop(), "vmnet watch did not exit on SIGTERM")
        #expect(!FileSystem.exists(watcher.pidFile))
        try world.ok("destroy", "wn")
    }
}
