import Glibc
import VmnetCore
import VmnetShell

/// What the kernel and dnsmasq cost with nothing of vmnet around them, measured in the same
/// run: N bare bridges with keeper veth pairs (made by one `ip -batch`), deleted by one
/// `ip link del group` as vmnet deletes its links, and N bare dnsmasq instances started at
/// once on those bridges. vmnet's `up --all` and `down --all` are held against these.
struct KernelFloor {
    let host: BenchHost

    /// Distinct from vmnet's own deletion group (LinkPlanner.deletionGroup).
    static let group = 7_761_263

    struct Round {
        /// Links made and addressed, then every dnsmasq started, in milliseconds.
        let up: Double
        /// The one group delete, in milliseconds.
        let down: Double
    }

    func round(_ count: Int) throws -> Round {
        var batch = ""
        for index in 0..<count {
            let bridge = "fb\(index)", port = "fp\(index)", peer = "fq\(index)"
            batch += "link add \(bridge) group \(KernelFloor.group) type bridge\n"
            batch += "link add \(port) group \(KernelFloor.group) type veth peer name \(peer) group \(KernelFloor.group)\n"
            batch += "link set \(port) master \(bridge)\n"
            batch += "address add \(KernelFloor.gateway(index))/24 dev \(bridge)\n"
            // No IPv6 link-local addresses, as vmnet's IPv4-only networks and keeper pairs have
            // none: dnsmasq would otherwise wait for their duplicate address detection.
            batch += "link set \(bridge) addrgenmode none\nlink set \(port) addrgenmode none\nlink set \(peer) addrgenmode none\n"
            batch += "link set \(port) up\nlink set \(peer) up\nlink set \(bridge) up\n"
        }
        let links = try Stopwatch.measure {
            try host.runner.run(["ip", "-batch", "-"], input: batch).requireSuccess("floor: making \(count) bridges")
        }
        let pidFiles = (0..<count).map { "\(host.directory)/floor-\($0).pid" }
        let starts = try Stopwatch.measure {
            let running = try host.runner.start((0..<count).map { index in
                ["dnsmasq", "--conf-file=/dev/null", "--bind-interfaces", "--interface=fb\(index)", "--except-interface=lo",
                 "--listen-address=\(KernelFloor.gateway(index))", "--dhcp-range=\(KernelFloor.subnet(index)).100,\(KernelFloor.subnet(index)).200",
                 "--no-resolv", "--no-hosts", "--no-ping", "--leasefile-ro", "--pid-file=\(pidFiles[index])"]
            })
            for result in running.results() { try result.requireSuccess("floor: starting dnsmasq") }
        }
        for file in pidFiles {
            if let pid = FileSystem.readIfPresent(file)?.split(whereSeparator: \.isWhitespace).first.flatMap({ Int32($0) }) { kill(pid, SIGTERM) }
            FileSystem.remove(file)
        }
        let down = try Stopwatch.measure {
            try host.runner.run(["ip", "link", "del", "group", String(KernelFloor.group)]).requireSuccess("floor: deleting \(count) bridges")
        }
        return Round(up: links + starts, down: down)
    }

    private static func subnet(_ index: Int) -> String { "10.\(170 + index / 256).\(index % 256)" }
    private static func gateway(_ index: Int) -> String { subnet(index) + ".1" }
}
