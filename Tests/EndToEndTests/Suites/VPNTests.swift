import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A VPN's routes over vmnet's subnets, in the world's host namespace: `vpn0` is one end of a
/// veth pair (the machine has no dummy links) whose other end goes nowhere.
@Suite("VPN routes, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct VPNTests {
    func addVPNLink(_ world: VmnetWorld) throws {
        try world.inHost("ip", "link", "add", "vpn0", "type", "veth", "peer", "name", "vpn0-far").requireSuccess("vpn0")
        try world.inHost("ip", "link", "set", "vpn0", "up").requireSuccess("vpn0 up")
        try world.inHost("ip", "link", "set", "vpn0-far", "up").requireSuccess("vpn0-far up")
    }

    @Test func aCorporateSlashEightLeavesGuestsWorkingAndCreateFallsBack() throws {
        let world = try VmnetWorld("vp")
        try world.ok("create", "web")
        let gateway = try world.gateway("web")
        #expect(IPv4Subnet("10.140.0.0/16")!.contains(gateway))
        let a = try world.leasedClient(on: "web", hostname: "vm-a")
        let b = try world.leasedClient(on: "web", hostname: "vm-b")
        try Traffic.startEcho(in: b.namespace, sandbox: world.sandbox)
        try Traffic.startEcho(in: world.host, sandbox: world.sandbox)

        try addVPNLink(world)
        try world.inHost("ip", "route", "add", "10.0.0.0/8", "dev", "vpn0").requireSuccess("the VPN's route")
        // The bridge's connected /24 is more specific than 10.0.0.0/8: the guests see no change.
        #expect(try Traffic.tcp(from: a.namespace, to: gateway, sandbox: world.sandbox), "guest to gateway with the VPN up")
        #expect(try Traffic.tcp(from: a.namespace, to: b.lease.address, sandbox: world.sandbox), "guest to guest with the VPN up")
        #expect(try world.sandbox.resolve(from: a.namespace, "vm-b.web.vmnet", server: gateway) == b.lease.address)

        let doctor = try world.doctor("web")
        #expect(doctor.checks["subnet"] == "fail")
        #expect(doctor.details["subnet"]?.contains("route 10.0.0.0/8 dev vpn0 (table main) loses to the bridge's own route") == true, "\(doctor.details["subnet"] ?? "")")

        let second = try world.vmnet("create", "api")
        #expect(second.status == 0, "\(second.standardError)")
        // The first network is in the first pool too; both are named.
        #expect(second.standardError.hasPrefix("vmnet: 10.140.0.0/16 is taken by route 10.0.0.0/8 dev vpn0")
                && second.standardError.contains(": using 172.16.0.0/16\n"), "\(second.standardError)")
        #expect(IPv4Subnet("172.16.0.0/16")!.contains(try world.gateway("api")))
        let guest = try world.leasedClient(on: "api", hostname: "vm-c")
        #expect(IPv4Subnet("172.16.0.0/16")!.contains(guest.lease.address))
    }

    /// wg-quick's own rules (suppress_prefixlength 0 on main first) leave the bridge's route
    /// in charge; a rule that sends everything to the VPN's table first does not.
    @Test func theNetworksOwnSlash24InATableLookedUpFirst() throws {
        let world = try VmnetWorld("vt")
        try world.ok("create", "web")
        let gateway = try world.gateway("web")
        let subnet = try #require(IPv4Subnet(try world.network("web")["subnet"]?.stringValue ?? ""))
        let a = try world.leasedClient(on: "web", hostname: "vm-a")
        let b = try world.leasedClient(on: "web", hostname: "vm-b")
        for namespace in [b.namespace, world.host, world.uplink] { try Traffic.startEcho(in: namespace, sandbox: world.sandbox) }

        try addVPNLink(world)
        try world.inHost("ip", "route", "add", subnet.description, "dev", "vpn0", "table", "51820").requireSuccess("the VPN's route")
        try world.inHost("ip", "rule", "add", "from", "all", "lookup", "51820", "priority", "100").requireSuccess("the VPN's rule")
        let measured = [
            "guest-to-gateway": try Traffic.tcp(from: a.namespace, to: gateway, sandbox: world.sandbox),
            "guest-to-guest": try Traffic.tcp(from: a.namespace, to: b.lease.address, sandbox: world.sandbox),
            "host-to-guest": try Traffic.tcp(from: world.host, to: b.lease.address, sandbox: world.sandbox),
            "guest-out": try Traffic.tcp(from: a.namespace, to: Sandbox.uplinkAddress, sandbox: world.sandbox),
            "dns": try world.sandbox.resolve(from: a.namespace, "vm-b.web.vmnet", server: gateway) == b.lease.address,
            "new-lease": try world.sandbox.requestLease(in: try world.sandbox.addClient(on: try world.bridge("web"), in: world.host), hostname: "vm-c") != nil,
        ]
        // Measured: the host's replies follow the rule to vpn0; bridged frames and DHCP do not route.
        #expect(measured == ["guest-to-gateway": false, "guest-to-guest": true, "host-to-guest": false, "guest-out": false, "dns": false, "new-lease": true],
                "\(measured.sorted { $0.key < $1.key })")
        let doctor = try world.doctor("web")
        #expect(doctor.checks["subnet"] == "fail")
        #expect(doctor.details["subnet"]?.contains("route \(subnet) dev vpn0 (table 51820), looked up by ip rule 100: lookup 51820 before the bridge's route in main") == true,
                "\(doctor.details["subnet"] ?? "")")
        #expect(doctor.details["subnet"]?.contains("DHCP and guest-to-guest traffic still work") == true)
    }
}
