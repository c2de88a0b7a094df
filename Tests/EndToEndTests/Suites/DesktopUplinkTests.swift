import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The host's uplink moves under a running NAT network, as on a laptop: suspend and resume
/// (the link goes down and up), Wi-Fi to Ethernet (the default route moves to a second
/// interface) and a new DHCP address. Masquerade takes whatever address the outgoing
/// interface has, so new flows get out again without a vmnet command; the bridge, its
/// gateways and dnsmasq are untouched. Here the host does what a network manager would
/// (put the addresses and default routes back); vmnet does nothing. Last, the bridge itself
/// set down and up: what it loses, doctor names and `up` repairs.
@Suite("A moving uplink, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct DesktopUplinkTests {
    /// Addresses on the uplink's loopback: reachable only through the host's default route.
    static let far = IPv4Address("203.0.113.10")!
    static let far6 = "2001:db8:200::10"
    /// The second uplink ("Ethernet"): documentation ranges, the host's end first.
    static let wired = (host: "192.0.2.1", uplink: "192.0.2.2", renewed: "192.0.2.50")
    static let wired6 = (host: "2001:db8:101::1", uplink: "2001:db8:101::2", renewed: "2001:db8:101::50")

    private struct Setup {
        let world: VmnetWorld
        let client: String
        /// Every IPv6 peer the uplink's echo server saw, one a line.
        let peers: String
    }

    /// A dual-stack NAT network with one guest (a DHCP lease, and a static address in its /64
    /// routed through the gateway), and far addresses behind the uplink.
    private func setUp(firewall: String) throws -> Setup {
        let world = try VmnetWorld(firewall == "nftables" ? "un" : "ui")
        let peers = try IPv6FirewallTests.prepare(world)
        try Traffic.startEcho(in: world.uplink, sandbox: world.sandbox)
        try world.sandbox.run(in: world.uplink, ["ip", "address", "add", "\(Self.far)/32", "dev", "lo"]).requireSuccess("adding the far address")
        try world.sandbox.run(in: world.uplink, ["ip", "address", "add", "\(Self.far6)/128", "dev", "lo"]).requireSuccess("adding the far IPv6 address")
        // The IPv6 echo server's socket is bound to "::": its replies take the route's preferred
        // source (the kernel's own prefix route has metric 256: this one wins), which must be the
        // far address the guest spoke to, else conntrack cannot undo NAT66.
        try preferFarSource(world, on: "up0", IPv6FirewallTests.uplinkAddress)
        try world.ok("create", "move", "--firewall", firewall)
        let (client, _) = try world.leasedClient(on: "move", hostname: "mover")
        let shown = try world.network("move")
        let subnet6 = try #require(shown["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) })
        try world.sandbox.run(in: client, ["ip", "address", "add", "\(subnet6.host(0x100))/64", "dev", "eth0", "nodad"]).requireSuccess("addressing the guest")
        try world.sandbox.run(in: client, ["ip", "-6", "route", "replace", "default", "via", try IPv6FirewallTests.gateway6(world, "move")])
            .requireSuccess("routing the guest")
        let setup = Setup(world: world, client: client, peers: peers)
        #expect(try getsOut(setup), "the guest does not get out before the uplink moves")
        return setup
    }

    /// Wi-Fi to Ethernet: a second uplink, h-up1 (its far end up1 in the uplink namespace, both
    /// with documentation addresses), takes the default routes and the first goes down.
    /// `addLink` makes the pair (a desktop's NetworkManager is told there to leave it alone);
    /// `beforeMove` runs once the uplink's end is addressed.
    static func moveToSecondUplink(_ world: VmnetWorld, ipv6: Bool, addLink: (() throws -> Void)? = nil, beforeMove: () throws -> Void = {}) throws {
        func host(_ arguments: String...) throws {
            try world.sandbox.run(in: world.host, arguments).requireSuccess(arguments.joined(separator: " "))
        }
        if let addLink {
            try addLink()
        } else {
            try world.sandbox.runner.run(["ip", "-n", world.host, "link", "add", "h-up1", "type", "veth", "peer", "name", "up1", "netns", world.uplink])
                .requireSuccess("adding the second uplink")
        }
        let uplinkSix = ipv6 ? " && ip address add \(wired6.uplink)/64 dev up1 nodad" : ""
        try world.sandbox.run(in: world.uplink, ["sh", "-c", "ip address add \(wired.uplink)/24 dev up1\(uplinkSix) && ip link set up1 up"])
            .requireSuccess("addressing the uplink's second end")
        try beforeMove()
        try host("ip", "address", "add", "\(wired.host)/24", "dev", "h-up1")
        if ipv6 { try host("ip", "address", "add", "\(wired6.host)/64", "dev", "h-up1", "nodad") }
        try host("ip", "link", "set", "h-up1", "up")
        try host("ip", "route", "replace", "default", "via", wired.uplink, "dev", "h-up1")
        if ipv6 { try host("ip", "-6", "route", "replace", "default", "via", wired6.uplink, "dev", "h-up1") }
        try host("ip", "link", "set", "h-up", "down")
    }

    private func preferFarSource(_ world: VmnetWorld, on device: String, _ uplinkAddress: String) throws {
        let link = try #require(IPv6Address(uplinkAddress).map { IPv6Subnet(containing: $0, prefixLength: 64) })
        try world.sandbox.run(in: world.uplink, ["ip", "-6", "route", "replace", link.description, "dev", device, "src", Self.far6, "metric", "1"])
            .requireSuccess("preferring the far source on \(device)")
    }

    /// A new TCP flow over IPv4 and a new UDP flow over IPv6 reach the far addresses.
    private func getsOut(_ setup: Setup) throws -> Bool {
        try Traffic.tcp(from: setup.client, to: Self.far, sandbox: setup.world.sandbox)
            && IPv6FirewallTests.udp(setup.world, from: setup.client, to: Self.far6)
    }

    /// Seconds from now until a new flow gets out over IPv4 (TCP), then over IPv6 (UDP),
    /// polled up to 5 s each; nil when it never does.
    private func recovery(_ setup: Setup) throws -> (ipv4: Double?, ipv6: Double?) {
        let start = Recovery.now()
        let ipv4 = try Recovery.seconds(since: start) { try Traffic.tcp(from: setup.client, to: Self.far, sandbox: setup.world.sandbox) }
        let ipv6 = try Recovery.seconds(since: start) { try IPv6FirewallTests.udp(setup.world, from: setup.client, to: Self.far6) }
        return (ipv4, ipv6)
    }

    private func expectQuick(_ recovered: (ipv4: Double?, ipv6: Double?), after step: String, ipv6Within: Double = 1) {
        let shown = [recovered.ipv4, recovered.ipv6].map { $0.map { "\(Int($0 * 1000)) ms" } ?? "never" }
        #expect((recovered.ipv4 ?? 9) < 1 && (recovered.ipv6 ?? 9) < ipv6Within, "after \(step): IPv4 \(shown[0]), IPv6 \(shown[1])")
    }

    /// What must survive the uplink's moves: the bridge's addresses (both gateways), and
    /// dnsmasq (by pid).
    private func network(_ setup: Setup) throws -> String {
        let addresses = try setup.world.inHost("ip", "-o", "address", "show", "dev", "vmn-move", "scope", "global").standardOutput
            .split(separator: "\n").map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
        return (addresses + (try setup.world.hostPids()).sorted()).joined(separator: "\n")
    }

    private func host(_ setup: Setup, _ arguments: String...) throws {
        try setup.world.sandbox.run(in: setup.world.host, arguments).requireSuccess(arguments.joined(separator: " "))
    }

    /// The uplink's IPv6 echo server saw `address` last: NAT66 used the host's current address.
    private func lastPeer(_ setup: Setup) -> String? {
        FileSystem.readIfPresent(setup.peers)?.split(separator: "\n").last.map(String.init)
    }

    private func expectHealthy(_ setup: Setup, _ before: String, after step: String) throws {
        #expect(try network(setup) == before, "\(step): the network changed")
        #expect(try setup.world.sandbox.resolve(from: setup.client, "mover.move.vmnet", server: try setup.world.gateway("move")) != nil,
                "\(step): dnsmasq does not answer")
        let doctor = try setup.world.doctor("move")
        #expect(doctor.status == 0, "\(step): \(doctor.details.filter { doctor.checks[$0.key] != "ok" })")
    }

    @Test(arguments: ["nftables", "iptables"])
    func newFlowsGetOutAgainAfterSuspendAMovedDefaultRouteAndANewAddress(firewall: String) throws {
        let setup = try setUp(firewall: firewall)
        let before = try network(setup)

        // (a) Suspend and resume: the link goes down (the kernel drops its default routes and
        // its IPv6 address), comes back, and the host puts them back.
        try host(setup, "ip", "link", "set", "h-up", "down")
        #expect(try !getsOut(setup))
        try host(setup, "ip", "link", "set", "h-up", "up")
        try host(setup, "ip", "address", "replace", "\(IPv6FirewallTests.hostUplink)/64", "dev", "h-up", "nodad")
        try host(setup, "ip", "route", "replace", "default", "via", Sandbox.uplinkAddress.description)
        try host(setup, "ip", "-6", "route", "replace", "default", "via", IPv6FirewallTests.uplinkAddress)
        expectQuick(try recovery(setup), after: "resume")
        try expectHealthy(setup, before, after: "resume")

        // (b) Wi-Fi to Ethernet: a second uplink takes the default routes, the first goes away.
        let world = setup.world
        try Self.moveToSecondUplink(world, ipv6: true, beforeMove: { try preferFarSource(world, on: "up1", Self.wired6.uplink) })
        expectQuick(try recovery(setup), after: "the move")
        #expect(lastPeer(setup) == Self.wired6.host)
        try expectHealthy(setup, before, after: "move")

        // (c) A new DHCP address on the new uplink (the old one is removed, with its routes).
        try host(setup, "ip", "address", "del", "\(Self.wired.host)/24", "dev", "h-up1")
        try host(setup, "ip", "address", "del", "\(Self.wired6.host)/64", "dev", "h-up1")
        try host(setup, "ip", "address", "add", "\(Self.wired.renewed)/24", "dev", "h-up1")
        try host(setup, "ip", "address", "add", "\(Self.wired6.renewed)/64", "dev", "h-up1", "nodad")
        try host(setup, "ip", "route", "replace", "default", "via", Self.wired.uplink, "dev", "h-up1")
        try host(setup, "ip", "-6", "route", "replace", "default", "via", Self.wired6.uplink, "dev", "h-up1")
        // The host sends the first NAT66 packet at once from the new address (the uplink logs
        // it); the uplink, a plain Linux router, answers it only after its neighbour discovery
        // for the new address, ~1-3 s later (tcpdump on the uplink: the solicitation follows
        // the second packet). IPv4 has no such wait: ARP resolves at the first reply.
        expectQuick(try recovery(setup), after: "the new address", ipv6Within: 3.5)
        #expect(lastPeer(setup) == Self.wired6.renewed)
        try expectHealthy(setup, before, after: "new address")

        // (d) The bridge itself set down and up (a network manager at resume, a user): vmnet's
        // keep_addr_on_down keeps both gateways, but the kernel drops the link-local address
        // that dnsmasq's router advertisements come from; doctor names it, `up` puts it back.
        try host(setup, "ip", "link", "set", "vmn-move", "down")
        try host(setup, "ip", "link", "set", "vmn-move", "up")
        #expect(try network(setup) == before, "the bridge lost a gateway address")
        let flapped = try world.doctor("move")
        #expect(flapped.status == 1 && flapped.details["gateway6-address"]?.contains("link-local") == true, "\(flapped.details)")
        try world.ok("up", "move")
        try expectHealthy(setup, before, after: "up after the bridge's flap")
        expectQuick(try recovery(setup), after: "the bridge's flap")
        try world.ok("destroy", "move")
    }
}
