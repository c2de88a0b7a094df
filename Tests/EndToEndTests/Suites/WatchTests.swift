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

    /// Watches `name` in `world` across `trigger`: the traffic comes back within 2 s, and at
    /// least one repair was logged (none when `breaks` is false: the trigger left vmnet's rules
    /// alone), then no other one for 2 s.
    static func recoversByItself(_ world: VmnetWorld, _ shared: SharedHost, _ name: String, tag: String, label: String,
                                 breaks: Bool = true, watcher given: Watcher? = nil, trigger: () throws -> Void) throws -> Watcher {
        let (guest, targets) = try guests(world, on: name, tag: tag)
        #expect(try Recovery.seconds(from: guest, to: targets, sandbox: world.sandbox) != nil, "\(label): before")
        let watcher = try given ?? Watcher(world, in: shared)
        let before = watcher.repairs(reaching: 1, within: 0, quiet: 0.5)
        #expect(given != nil || before.isEmpty, "\(label): nothing to repair at the start: \(watcher.log)")
        _ = try recovery(label, from: guest, to: targets, world, trigger: trigger)
        let repairs = watcher.repairs(reaching: before.count + 1, within: breaks ? 10 : 1, quiet: 0)
        #expect(repairs.count > before.count || !breaks, "\(label): the watcher repaired nothing: \(watcher.log)")
        #expect(repairs.count == before.count || breaks, "\(label): nothing was broken, yet: \(watcher.log)")
        // A daemon that rebuilds its chains in steps (dockerd) may undo a first repair once
        // more; after that the watcher must go quiet: its own repairs trigger no others.
        var settled = watcher.repairs(reaching: repairs.count + 1, within: 0, quiet: 2)
        if settled.count > repairs.count { settled = watcher.repairs(reaching: settled.count + 1, within: 0, quiet: 2) }
        #expect(settled.count - repairs.count <= 1, "\(label): repairs kept coming: \(watcher.log)")
        #expect(watcher.repairs(reaching: settled.count + 1, within: 0, quiet: 1).count == settled.count, "\(label): repairs kept coming: \(watcher.log)")
        print("\(label): \(settled.count - before.count) repair(s): \(settled.dropFirst(before.count).joined(separator: " | "))")
        return watcher
    }

    /// The issue's Fedora-style laptop: firewalld, then dockerd on firewalld's bus, then vmnet.
    @Test func rulesComeBackAfterAFirewalldReloadBesideDocker() throws {
        let shared = try SharedHost("wf")
        defer { shared.tearDown() }
        let firewalld = try FirewalldHost(shared)
        let docker = try DockerHost(shared)
        docker.environment = firewalld.environment
        try docker.start()
        try docker.importImage()
        let world = shared.world(environment: firewalld.environment)
        try world.ok("create", "wf")
        // Without the watcher doctor warns here (firewalld's table, Docker's chains), not fails.
        let unwatched = try world.doctor("wf")
        #expect(unwatched.status == 0 && unwatched.checks["watch"] == "warn", "\(unwatched.details)")
        #expect(unwatched.details["watch"]?.contains(WatchDiagnosis.notRunning) == true, "\(unwatched.details)")
        let watcher = try Self.recoversByItself(world, shared, "wf", tag: "f", label: "firewall-cmd --reload") {
            try firewalld.firewallCmd("--reload").requireSuccess("reloading firewalld")
        }
        #expect(try docker.containerReachesUplink())
        #expect(watcher.stop())
        try world.ok("destroy", "wf")
    }

    /// `ufw reload` keeps vmnet's jumps at the top of INPUT and FORWARD (measured: nothing to
    /// repair); restoring the ruleset saved before vmnet (iptables-restore, as
    /// netfilter-persistent does) under ufw's DROP policies removes them.
    @Test func underUfwAReloadKeepsTheRulesAndARestoredRulesetRecovers() throws {
        let ufw = try UfwHost.get()
        let world = ufw.shared.world()
        let saved = try world.inHost("iptables-save").requireSuccess("saving the ruleset").standardOutput
        try world.ok("create", "wu")
        let watcher = try Self.recoversByItself(world, ufw.shared, "wu", tag: "u", label: "ufw reload", breaks: false) {
            try ufw.ufw("reload").requireSuccess("reloading ufw")
        }
        _ = try Self.recoversByItself(world, ufw.shared, "wu", tag: "v", label: "iptables-restore under ufw", watcher: watcher) {
            try world.sandbox.runner.run(["ip", "netns", "exec", ufw.shared.host, "iptables-restore"], input: saved).requireSuccess("restoring the ruleset")
        }
        #expect(watcher.stop())
        try world.ok("destroy", "wu")
    }

    /// dockerd killed, the filter table restored to bare policies (iptables-restore, as at boot),
    /// dockerd started again with the same arguments: its chains start empty.
    @Test func rulesComeBackAfterADockerdRestartOnAnEmptyFilterTable() throws {
        let docker = try DockerHost.get()
        let world = docker.shared.world()
        try world.ok("create", "wd")
        let bare = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"
        let watcher = try Self.recoversByItself(world, docker.shared, "wd", tag: "k", label: "dockerd restart on an empty filter table") {
            docker.stop()
            try world.sandbox.runner.run(["ip", "netns", "exec", docker.shared.host, "iptables-restore"], input: bare).requireSuccess("emptying the filter table")
            try docker.start()
        }
        let rules = try world.inHost("iptables", "-S", "DOCKER-USER").standardOutput
        #expect(rules.contains("vmn-wd"), "\(rules)")
        #expect(try docker.containerReachesUplink())
        #expect(watcher.stop())
        try world.ok("destroy", "wd")
    }
}
