import Glibc
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
    static func addLAN(_ world: VmnetWorld) throws -> String {
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
        let lan = try Self.addLAN(world)
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

    /// The lists by traffic; TFTP and a port forward through the shield; doctor sees a shield
    /// deleted by hand and `up` puts it back.
    @Test(arguments: [FirewallKind.nftables, .iptables])
    func listsOpenOnlyTheirPortsAndDestinations(firewall: FirewallKind) throws {
        let world = try VmnetWorld("pl-\(firewall.rawValue.prefix(3))")
        let lan = try Self.addLAN(world)
        let otherLANPeer = IPv4Address("192.168.77.3")!
        try world.sandbox.run(in: lan, ["ip", "address", "add", "\(otherLANPeer)/24", "dev", "lan0"]).requireSuccess("addressing lan0")
        let (listedHostPort, listedLANPort, listedUplinkPort) = (8050, 5432, 8443)
        for (namespace, port) in [(world.host, Traffic.port), (world.host, listedHostPort), (lan, Traffic.port), (lan, listedLANPort),
                                  (world.uplink, Traffic.port), (world.uplink, listedUplinkPort)] {
            try Traffic.startEcho(in: namespace, sandbox: world.sandbox, port: port)
        }
        try world.ok("create", "proj", "--profile", "sandbox", "--firewall", firewall.rawValue)
        let gateway = try world.gateway("proj")
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "web")
        func reaches(_ address: IPv4Address, _ port: Int = Traffic.port) throws -> Bool { try Traffic.tcp(from: client, to: address, sandbox: world.sandbox, port: port) }

        // A forward into a sandboxed network still connects (egress=internet refuses only new flows out).
        try Traffic.startEcho(in: client, sandbox: world.sandbox)
        try world.ok("forward", "add", "proj", "18080/tcp", "\(lease.address):\(Traffic.port)")
        #expect(try Traffic.tcp(from: world.uplink, to: Sandbox.hostUplinkAddress, sandbox: world.sandbox, port: 18080))

        let output = try world.ok("set", "proj", "host_access=22,8000-8100/tcp,53/udp").standardOutput
        #expect(output.contains("proj: host_access: services -> 22/tcp,8000-8100/tcp,53/udp: firewall rules updated"), "\(output)")
        #expect(try world.network("proj")["host_access"]?.stringValue == "22/tcp,8000-8100/tcp,53/udp")
        #expect(try reaches(gateway, listedHostPort) && reaches(Sandbox.hostUplinkAddress, listedHostPort))
        #expect(try !reaches(gateway) && !reaches(Sandbox.hostUplinkAddress))

        try world.ok("set", "proj", "egress=\(Self.lanPeer)/32:\(listedLANPort)/tcp,\(Sandbox.uplinkAddress)/32:\(listedUplinkPort)")
        #expect(try reaches(Self.lanPeer, listedLANPort))
        #expect(try !reaches(Self.lanPeer) && !reaches(otherLANPeer, listedLANPort))
        #expect(try reaches(Sandbox.uplinkAddress, listedUplinkPort) && !reaches(Sandbox.uplinkAddress))
        #expect(try Traffic.tcp(from: world.uplink, to: Sandbox.hostUplinkAddress, sandbox: world.sandbox, port: 18080), "the forward after the list")
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == Sandbox.fakeAnswer)

        // TFTP from a shielded network's own dnsmasq.
        let root = world.sandbox.directory + "/tftp"
        try FileSystem.makeDirectories(root)
        chmod(root, 0o755)
        try FileSystem.writeAtomically("#!ipxe\n", to: root + "/boot.ipxe", mode: 0o644)
        try world.ok("set", "proj", "host_access=services", "dhcp_boot=boot.ipxe", "tftp_root=\(root)")
        let fetched = world.sandbox.directory + "/fetched.ipxe"
        let tftp = try world.sandbox.run(in: client, ["busybox", "tftp", "-g", "-r", "boot.ipxe", "-l", fetched, gateway.description])
        #expect(tftp.succeeded && FileSystem.readIfPresent(fetched) == "#!ipxe\n", "\(tftp.standardError)")

        // The shield deleted by hand: doctor names it, up repairs it.
        let healthy = try world.doctor("proj")
        #expect(healthy.checks["firewall"] == "ok", "\(healthy.details)")
        let bridge = try world.bridge("proj")
        switch firewall {
        case .nftables:
            let chain = try world.inHost("nft", "-a", "list", "chain", "inet", "vmnet", "input").standardOutput
            let rule = try #require(chain.split(separator: "\n").first { $0.contains("iifname @shielded reject") }, "\(chain)")
            let handle = try #require(rule.split(separator: " ").last)
            try world.inHost("nft", "delete", "rule", "inet", "vmnet", "input", "handle", String(handle)).requireSuccess("deleting the shield")
        case .iptables:
            try world.inHost("iptables", "-D", "VMNET-INPUT", "-i", bridge, "-j", "REJECT", "--reject-with", "icmp-admin-prohibited").requireSuccess("deleting the shield")
        }
        #expect(try reaches(gateway), "the shield is gone")
        let broken = try world.doctor("proj")
        #expect(broken.status != 0 && broken.checks["firewall"] == "fail", "\(broken.details)")
        #expect(broken.details["firewall"]?.contains("host_access=services") == true, "\(broken.details)")
        let doctorRun = try world.vmnet("doctor", "proj")
        let doctorText = doctorRun.standardOutput + doctorRun.standardError
        #expect(doctorText.contains("vmnet up proj"), "\(doctorText)")
        try world.ok("up", "proj")
        let repaired = try world.doctor("proj")
        #expect(repaired.checks["firewall"] == "ok", "\(repaired.details)")
        #expect(try !reaches(gateway))
    }

    /// A `sandbox` network beside another firewall (Docker's, ufw's): its guest is refused a
    /// host port and the LAN and reaches the uplink. The LAN's link goes when done.
    static func checkSandboxBesideAnotherFirewall(_ world: VmnetWorld, _ name: String) throws {
        let lan = try addLAN(world)
        defer { _ = try? world.inHost("ip", "link", "delete", "h-lan") }
        let hostPort = 7079
        try Traffic.startEcho(in: world.host, sandbox: world.sandbox, port: hostPort)
        try Traffic.startEcho(in: lan, sandbox: world.sandbox)
        try world.ok("create", name, "--profile", "sandbox")
        defer { _ = try? world.vmnet("destroy", name) }
        let gateway = try world.gateway(name)
        let (client, _) = try world.leasedClient(on: name, hostname: "sb")
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == Sandbox.fakeAnswer)
        #expect(try !Traffic.tcp(from: client, to: gateway, sandbox: world.sandbox, port: hostPort))
        #expect(try !Traffic.tcp(from: client, to: Sandbox.hostUplinkAddress, sandbox: world.sandbox, port: hostPort))
        #expect(try !Traffic.tcp(from: client, to: lanPeer, sandbox: world.sandbox))
        #expect(try Traffic.tcp(from: client, to: Sandbox.uplinkAddress, sandbox: world.sandbox))
        // The host port is open to the host itself: the refusal is the policy's.
        #expect(try Traffic.tcp(from: world.host, to: gateway, sandbox: world.sandbox, port: hostPort))
        try world.ok("destroy", name)
    }
}
