import Glibc
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The same measures as Scenarios, taken on libvirt's NAT networks: `virsh net-start` and
/// `net-destroy` of 1 and of N networks, and start to a new client's first lease. Every
/// network is defined before any timing (`define`); libvirt has no batch start, so N networks
/// start in one virsh process with the commands chained by `;` — libvirt's best case, since
/// it pays one connection instead of N, as vmnet's `up --all` is one process.
struct LibvirtScenarios {
    let host: BenchHost
    let daemon: LibvirtDaemon
    let repeats: Int

    /// The network the lease is taken on, apart from the counted ones.
    static let leaseIndex = 255

    /// libvirt is raced on the most networks up to 50 only, to keep the run short (its 50
    /// networks take half a minute a round).
    static func counts(_ counts: [Int]) -> [Int] { counts.filter { $0 <= 50 }.max().map { [$0] } ?? [] }

    func define(_ counts: [Int]) throws {
        let most = max(1, LibvirtScenarios.counts(counts).max() ?? 1)
        try daemon.define(Array(0..<most) + [LibvirtScenarios.leaseIndex])
    }

    /// libvirt's figures keyed by the name of vmnet's figure on the same row.
    func run(_ counts: [Int]) throws -> [String: Double] {
        var figures: [String: Double] = [:]
        var starts: [Double] = [], destroys: [Double] = []
        for _ in 0..<repeats {
            starts.append(try daemon.timeVirsh(["net-start \(LibvirtDaemon.name(0))"]))
            destroys.append(try daemon.timeVirsh(["net-destroy \(LibvirtDaemon.name(0))"]))
        }
        figures["1 network up"] = Stopwatch.median(starts)
        figures["1 network down"] = Stopwatch.median(destroys)
        report("net-start, 1 network", figures["1 network up"])

        for count in LibvirtScenarios.counts(counts) {
            let names = (0..<count).map { LibvirtDaemon.name($0) }
            var ups: [Double] = [], downs: [Double] = []
            for _ in 0..<min(repeats, 3) {
                ups.append(try daemon.timeVirsh(names.map { "net-start \($0)" }))
                downs.append(try daemon.timeVirsh(names.map { "net-destroy \($0)" }))
            }
            figures["\(count) networks up (--all)"] = Stopwatch.median(ups)
            figures["\(count) networks down (--all)"] = Stopwatch.median(downs)
            report("net-start, \(count) networks", figures["\(count) networks up (--all)"])
        }

        figures["vmnet up to first DHCP lease"] = try firstLease()
        report("net-start to first DHCP lease", figures["vmnet up to first DHCP lease"])
        return figures
    }

    /// From `virsh net-start` to a fresh client's first lease, with the same client (busybox
    /// udhcpc) as vmnet's measure.
    private func firstLease() throws -> Double {
        let sandbox = try Sandbox(tag: "lvl")
        defer { sandbox.tearDown() }
        let bridge = LibvirtDaemon.name(LibvirtScenarios.leaseIndex)
        var times: [Double] = []
        for round in 0..<min(repeats, 5) {
            let client = try sandbox.addNamespace("c\(round)")
            let port = "ll\(round)"
            let elapsed = try Stopwatch.measure {
                try daemon.virsh("net-start \(bridge)")
                try host.runner.run(["ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", client]).requireSuccess("client link")
                try host.runner.run(["ip", "link", "set", port, "master", bridge, "up"]).requireSuccess("client port")
                try host.runner.run(["ip", "-n", client, "link", "set", "eth0", "up"]).requireSuccess("client up")
                guard try sandbox.requestLease(in: client, hostname: "c\(round)") != nil else { throw VmnetError.failed("no lease from libvirt's dnsmasq") }
            }
            times.append(elapsed)
            try daemon.virsh("net-destroy \(bridge)")
            _ = try? host.runner.run(["ip", "link", "delete", port])
        }
        return Stopwatch.median(times)
    }

    private func report(_ name: String, _ value: Double?) {
        StandardError.write("  libvirt \(name): \(Figure.format(value)) ms\n")
    }
}
