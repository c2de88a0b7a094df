import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The guest policy by traffic: a real DHCP client's namespace against an echo server on the
/// host (every address), on the fake internet, and on a "LAN" behind the host.
@Suite("Guest policy, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct PolicyTests {
    static let lanHost = IPv4Address("192.168.77.1")!
    static let lanPeer = IPv4Address("192.168.77.2")!

    /// A namespace on the host's other side in a private range, as a laptop's LAN is.
    private func addLAN(_ world: VmnetWorld) throws -> String {
        let lan = try world.sandbox.addNamespace("lan")
        try world.sandbox.run(in: world.host, ["ip", "link", "add", "h-lan", "type", "veth", "peer", "name", "lan0", "netns", lan]).requireSuccess("linking the LAN")
        try world.sandbox.run(in: world.host, ["ip", "address", "add", "\(Self.lanHost)/24", "dev", "h-lan"]).requireSuccess("addressing h-lan")
        try world.sandbox.run(in: world.host, ["ip", "link", "set", "h-lan", "up"]).requireSuccess("raising h-lan")
        try world.sandbox.run(in: lan, ["ip", "address", "add", "\(Self.lanPeer)/24", "dev", "lan0"]).requireSuccess("addressing lan0")
        try world.sandbox.run(in: lan, ["ip", "link", "set", "lan0", "up"]).requireSuccess("raising lan0")
        return lan
    }

    @Test(arguments: [FirewallKind.nftables, .iptables])
    func aNewNetworkShieldsTheHostAndTheLANUntilSetOtherwise(firewall: FirewallKind) throws {
        let world = try VmnetWorld("pol-\(firewall.rawValue.prefix(3))")
        let lan = try addLAN(world)
        for namespace in [world.host, world.uplink, lan] { try Traffic.startEcho(in: namespace, sandbox: world.sandbox) }
        try world.ok("create", "proj", "--profile", "sandbox", "--firewall", firewall.rawValue)
        let record = try world.network("proj")
        #expect(record["host_access"]?.stringValue == "services" && record["egress"]?.stringValue == "internet")
        let gateway = try world.gateway("proj")
        let (client, _) = try world.leasedClient(on: "proj", hostname: "web")
        func reaches(_ address: IPv4Address) throws -> Bool { try Traffic.tcp(from: client, to: address, sandbox: world.sandbox) }

        // services + internet: DHCP (the lease above), DNS and ping; no other host port on
        // any host address; the internet but not the LAN.
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == Sandbox.fakeAnswer)
        #expect(try world.sandbox.ping(from: client, gateway))
        #expect(try !reaches(gateway))
        #expect(try !reaches(Sandbox.hostUplinkAddress))
        #expect(try !reaches(Self.lanHost))
        #expect(try reaches(Sandbox.uplinkAddress))
        #expect(try !reaches(Self.lanPeer))

        let output = try world.ok("set", "proj", "host_access=all", "egress=all").standardOutput
        #expect(output.contains("proj: host_access: services -> all: firewall rules updated"), "\(output)")
        #expect(output.contains("proj: egress: internet -> all: firewall rules updated"), "\(output)")
        #expect(try reaches(gateway))
        #expect(try reaches(Sandbox.hostUplinkAddress))
        #expect(try reaches(Self.lanPeer))
        #expect(try reaches(Sandbox.uplinkAddress))

        // none: nothing beyond the host, while the gateway's services stay.
        try world.ok("set", "proj", "egress=none", "host_access=services")
        #expect(try !reaches(Sandbox.uplinkAddress))
        #expect(try !reaches(Self.lanPeer))
        #expect(try !reaches(gateway))
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == Sandbox.fakeAnswer)
        #expect(try world.sandbox.requestLease(in: client, hostname: "web") != nil)
    }
}
