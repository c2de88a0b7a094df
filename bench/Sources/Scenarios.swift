import Glibc
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The benchmark's scenarios, each returning its figures.
struct Scenarios {
    let host: BenchHost
    let repeats: Int
    /// `--no-ipv6` for the IPv4-only column; none for the default dual-stack networks.
    let createOptions: [String]

    private func create(_ name: String) throws {
        try host.vmnet(["create", name, "--no-start"] + createOptions)
    }

    /// (a) One network up: `vmnet up` against the original steps, interleaved.
    func oneNetworkUp() throws -> [Figure] {
        host.freshState()
        try create("one")
        var vmnetTimes: [Double] = [], scriptTimes: [Double] = [], vmnetDown: [Double] = [], scriptDown: [Double] = []
        for _ in 0..<repeats {
            vmnetTimes.append(try host.timeVmnet("up", "one"))
            vmnetDown.append(try host.timeVmnet("down", "one"))
            scriptTimes.append(try host.scriptStart(0))
            scriptDown.append(try host.scriptStop(0))
        }
        try host.vmnet("destroy", "one")
        let up = Stopwatch.median(vmnetTimes), original = Stopwatch.median(scriptTimes)
        return [
            Figure(name: "1 network up", vmnet: up, baseline: original, unit: "ms", target: "<= 1.1x the script", passed: up <= original * 1.1),
            Figure(name: "1 network down", vmnet: Stopwatch.median(vmnetDown), baseline: Stopwatch.median(scriptDown), unit: "ms", target: "-", passed: true),
        ]
    }

    /// (b) N networks: `up --all` / `down --all` against the script looped, and the cost of
    /// the first and the last network. (e) and (f) are taken while N networks are up.
    func manyNetworks(_ count: Int) throws -> [Figure] {
        host.freshState()
        let names = (0..<count).map { "n\($0)" }
        for name in names { try create(name) }

        var ups: [Double] = [], downs: [Double] = [], lists: [Double] = []
        var listRSS = 0.0, upRSS = 0.0, dnsmasqRSS: [Double] = []
        let rounds = count > 50 ? 1 : 5
        for round in 0..<rounds {
            ups.append(try host.timeVmnet("up", "--all"))
            if round == 0 {
                for _ in 0..<5 { lists.append(try host.timeVmnet("list", "--json")) }
                listRSS = try host.peakRSS(["list", "--json"])
                dnsmasqRSS = host.dnsmasqPeaks()
            }
            downs.append(try host.timeVmnet("down", "--all"))
        }
        upRSS = try host.peakRSS(["up", "--all"])
        try host.vmnet("down", "--all")

        // The first network alone, then the last with all the others up; medians of a few rounds.
        var firsts: [Double] = [], lasts: [Double] = []
        for _ in 0..<(count > 50 ? 1 : 5) {
            firsts.append(try host.timeVmnet("up", names[0]))
            if count > 2 { try host.vmnet(["up"] + names[1..<(count - 1)]) }
            lasts.append(try host.timeVmnet("up", names[count - 1]))
            try host.vmnet("down", "--all")
        }
        let first = Stopwatch.median(firsts), last = Stopwatch.median(lasts)
        for name in names { try host.vmnet("destroy", name) }

        var scriptUps: [Double] = [], scriptDowns: [Double] = [], scriptFirst = 0.0, scriptLast = 0.0
        for round in 0..<rounds {
            var perBridge: [Double] = []
            let up = try Stopwatch.measure { for index in 0..<count { perBridge.append(try host.scriptStart(index)) } }
            if round == 0 { (scriptFirst, scriptLast) = (perBridge[0], perBridge[count - 1]) }
            scriptUps.append(up)
            scriptDowns.append(try Stopwatch.measure { for index in 0..<count { _ = try host.scriptStop(index) } })
        }

        // The floor once per round like vmnet's, in the IPv4-only pass (the kernel's work is the same).
        var floorUps: [Double] = [], floorDowns: [Double] = []
        if createOptions.contains("--no-ipv6") {
            for _ in 0..<rounds {
                let round = try KernelFloor(host: host).round(count)
                floorUps.append(round.up)
                floorDowns.append(round.down)
            }
        }
        let floorUp = floorUps.isEmpty ? nil : Stopwatch.median(floorUps), floorDown = floorDowns.isEmpty ? nil : Stopwatch.median(floorDowns)

        let up = Stopwatch.median(ups), scriptUp = Stopwatch.median(scriptUps)
        let down = Stopwatch.median(downs), scriptDown = Stopwatch.median(scriptDowns)
        var figures = [
            Figure(name: "\(count) networks up (--all)", vmnet: up, baseline: scriptUp, unit: "ms",
                   target: count == 50 ? ">= 5x faster" : "-", passed: count != 50 || up * 5 <= scriptUp, floor: floorUp),
            Figure(name: "\(count) networks down (--all)", vmnet: down, baseline: scriptDown, unit: "ms",
                   target: count == 50 && floorDown != nil ? "<= 1.15x the floor" : "-",
                   passed: count != 50 || floorDown.map { down <= $0 * 1.15 } ?? true, floor: floorDown),
            Figure(name: "\(count) networks: first network up", vmnet: first, baseline: scriptFirst, unit: "ms", target: "-", passed: true),
            Figure(name: "\(count) networks: last network up", vmnet: last, baseline: scriptLast, unit: "ms",
                   target: count == 50 ? "<= 1.5x the first" : "-", passed: count != 50 || last <= first * 1.5),
            Figure(name: "peak RSS of vmnet up --all, \(count) networks", vmnet: upRSS / 1024, baseline: nil, unit: "MiB", target: "-", passed: true),
        ]
        if count == 250 {
            let list = Stopwatch.median(lists)
            figures += [
                Figure(name: "list --json, 250 networks", vmnet: list, baseline: nil, unit: "ms", target: "<= 40 ms", passed: list <= 40),
                Figure(name: "peak RSS of vmnet list --json, 250 networks", vmnet: listRSS / 1024, baseline: nil, unit: "MiB", target: "-", passed: true),
                Figure(name: "peak RSS per dnsmasq (max of \(dnsmasqRSS.count))", vmnet: (dnsmasqRSS.max() ?? .nan) / 1024, baseline: nil, unit: "MiB", target: "-", passed: true),
            ]
        }
        return figures
    }

    /// (c) Subnet allocation with 10,000 routes on the host.
    func allocationWithManyRoutes() throws -> [Figure] {
        host.freshState()
        // Blackhole /28s across 10/8, a few hundred of them inside vmnet's pool.
        var batch = ""
        for index in 0..<10_000 {
            let address = IPv4Address(0x0A00_0000 | UInt32((index * 7919) % 1_048_576) << 4)
            batch += "route add blackhole \(address)/28\n"
        }
        try host.runner.run(["ip", "-batch", "-"], input: batch).requireSuccess("adding 10,000 routes")

        let probe = HostProbe(runner: host.runner, environment: [:])
        var reads: [Double] = [], allocations: [Double] = [], creates: [Double] = []
        for round in 0..<repeats {
            var snapshot = HostSnapshot()
            reads.append(try Stopwatch.measure { snapshot = try probe.snapshot(forAllocation: true) })
            allocations.append(try Stopwatch.measure {
                let allocator = SubnetAllocator(claims: ClaimCollector.claims(of: IPv4Address.self, host: snapshot, networks: []))
                _ = try allocator.allocate(name: "alloc\(round)", pools: [IPv4Subnet("10.140.0.0/16")!], prefixLength: 24)
            })
            creates.append(try host.timeVmnet(["create", "alloc\(round)", "--no-start"] + createOptions))
        }
        for round in 0..<repeats { try host.vmnet("destroy", "alloc\(round)") }
        try host.runner.run(["ip", "-4", "route", "flush", "type", "blackhole"]).requireSuccess("removing the routes")
        let allocation = Stopwatch.median(allocations)
        return [
            Figure(name: "allocation with 10,000 routes (pure)", vmnet: allocation, baseline: nil, unit: "ms", target: "< 20 ms", passed: allocation < 20),
            Figure(name: "reading 10,000 routes and addresses", vmnet: Stopwatch.median(reads), baseline: nil, unit: "ms", target: "-", passed: true),
            Figure(name: "create --no-start with 10,000 routes", vmnet: Stopwatch.median(creates), baseline: nil, unit: "ms", target: "-", passed: true),
        ]
    }

    /// (d) From `vmnet up` to a fresh client's first DHCP lease.
    func firstLease() throws -> [Figure] {
        host.freshState()
        try create("lease")
        let sandbox = try Sandbox(tag: "vbl")
        defer { sandbox.tearDown() }
        var times: [Double] = []
        for round in 0..<min(repeats, 5) {
            let client = try sandbox.addNamespace("c\(round)")
            let port = "bl\(round)"
            let elapsed = try Stopwatch.measure {
                try host.vmnet("up", "lease")
                try host.runner.run(["ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", client]).requireSuccess("client link")
                try host.runner.run(["ip", "link", "set", port, "master", "vmn-lease", "up"]).requireSuccess("client port")
                try host.runner.run(["ip", "-n", client, "link", "set", "eth0", "up"]).requireSuccess("client up")
                guard try sandbox.requestLease(in: client, hostname: "c\(round)") != nil else { throw VmnetError.failed("no lease") }
            }
            times.append(elapsed)
            try host.vmnet("down", "lease", "--force")
        }
        try host.vmnet("destroy", "lease")
        let median = Stopwatch.median(times)
        return [Figure(name: "vmnet up to first DHCP lease", vmnet: median, baseline: nil, unit: "ms", target: "< 300 ms", passed: median < 300)]
    }
}
