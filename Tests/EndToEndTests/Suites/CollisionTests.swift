import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("Subnet collisions, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct CollisionTests {
    @Test func aRouteInAnyTableBlocksItsSubnets() throws {
        let world = try VmnetWorld("cr")
        try world.inHost("ip", "route", "add", "10.140.0.0/17", "via", Sandbox.uplinkAddress.description).requireSuccess("route")
        try world.inHost("ip", "route", "add", "10.140.128.0/18", "via", Sandbox.uplinkAddress.description, "table", "100").requireSuccess("route")
        let refused = try world.vmnet("create", "x", "--subnet", "10.140.5.0/24")
        #expect(refused.status == 4)
        #expect(refused.standardError.contains("route 10.140.0.0/17"))
        let other = try world.vmnet("create", "x", "--subnet", "10.140.130.0/24")
        #expect(other.status == 4)
        #expect(other.standardError.contains("table 100"))
        // A larger subnet that contains the route collides too.
        #expect(try world.vmnet("create", "x", "--subnet", "10.140.0.0/16").status == 4)
        for name in ["p1", "p2", "p3"] {
            try world.ok("create", name)
            let subnet = try #require(IPv4Subnet(try world.network(name)["subnet"]?.stringValue ?? ""))
            #expect(subnet.network.value >= IPv4Address("10.140.192.0")!.value, "\(name) got \(subnet)")
        }
    }

    @Test func anInterfaceAddressBlocksItsSubnet() throws {
        let world = try VmnetWorld("ca")
        try world.inHost("ip", "address", "add", "10.140.77.9/24", "dev", "h-up").requireSuccess("address")
        let refused = try world.vmnet("create", "x", "--subnet", "10.140.77.0/24")
        #expect(refused.status == 4)
        #expect(refused.standardError.contains("address 10.140.77.9/24 on h-up"))
        // A /32 inside a candidate blocks it as well.
        try world.inHost("ip", "address", "add", "10.140.78.9/32", "dev", "h-up").requireSuccess("address")
        #expect(try world.vmnet("create", "y", "--subnet", "10.140.78.0/24").status == 4)
        #expect(try world.footprint().contains("networks=\n"))
    }

    @Test func vpnSplitRoutesDoNotBlock() throws {
        let world = try VmnetWorld("cv")
        for half in ["0.0.0.0/1", "128.0.0.0/1"] {
            try world.inHost("ip", "route", "add", half, "via", Sandbox.uplinkAddress.description).requireSuccess("route")
        }
        try world.ok("create", "vpn")
        #expect(try world.network("vpn")["state"]?.stringValue == "up")
    }

    @Test func otherToolsNetworksAndNameserversBlock() throws {
        let world = try VmnetWorld("co")
        let podman = world.sandbox.directory + "/podman"
        let libvirt = world.sandbox.directory + "/libvirt"
        try FileSystem.makeDirectories(podman)
        try FileSystem.makeDirectories(libvirt)
        try FileSystem.writeAtomically(#"{"name":"pm","subnets":[{"subnet":"10.140.10.0/24","gateway":"10.140.10.1"}]}"#, to: podman + "/pm.json")
        try FileSystem.writeAtomically("<network><name>lv</name><ip address='10.140.11.1' netmask='255.255.255.0'/></network>", to: libvirt + "/lv.xml")
        try world.sandbox.setResolver(of: world.host, nameservers: [Sandbox.uplinkAddress, IPv4Address("10.140.12.53")!])
        let environment = ["VMNET_PODMAN_DIR": podman, "VMNET_LIBVIRT_NETWORKS_DIR": libvirt]
        let cases = [("10.140.10.0/24", "podman network 'pm'"), ("10.140.11.0/24", "libvirt network 'lv'"), ("10.140.12.0/24", "nameserver 10.140.12.53")]
        for (subnet, origin) in cases {
            let result = try world.vmnet(["create", "x", "--subnet", subnet], environment: environment)
            #expect(result.status == 4)
            #expect(result.standardError.contains(origin), "\(result.standardError)")
        }
        try world.ok("create", "first", "--subnet", "10.140.13.0/24", "--no-start")
        let taken = try world.vmnet("create", "second", "--subnet", "10.140.13.0/25")
        #expect(taken.status == 4)
        #expect(taken.standardError.contains("vmnet network 'first'"))
    }

    @Test func anExhaustedPoolNamesWhatBlockedIt() throws {
        let world = try VmnetWorld("ce")
        try world.addProfile("tiny", #"{"mode": "nat", "pools": ["10.150.0.0/23"], "prefix_length": 24}"#)
        try world.ok("create", "t1", "--profile", "tiny", "--no-start")
        try world.ok("create", "t2", "--profile", "tiny", "--no-start")
        let before = try world.footprint()
        let result = try world.vmnet("create", "t3", "--profile", "tiny")
        #expect(result.status == 5)
        #expect(result.standardError.contains("pool 10.150.0.0/23"))
        #expect(result.standardError.contains("vmnet network 't1'"))
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(try world.footprint() == before)
    }

    /// IPv6 is probed like IPv4: routes in any table, addresses, other vmnet networks, Podman
    /// and libvirt files; a refused create changes nothing (not even the host's ULA file), and
    /// `up` refuses once something takes the /64.
    @Test func theSlash64AvoidsEverySourceAndUpRefusesWhenTaken() throws {
        let world = try VmnetWorld("c6")
        let podman = world.sandbox.directory + "/podman", libvirt = world.sandbox.directory + "/libvirt"
        try FileSystem.makeDirectories(podman)
        try FileSystem.makeDirectories(libvirt)
        try FileSystem.writeAtomically(#"{"name":"pm","subnets":[{"subnet":"fd42:10::/64","gateway":"fd42:10::1"}]}"#, to: podman + "/pm.json")
        try FileSystem.writeAtomically("<network><name>lv</name><ip family='ipv6' address='fd42:11::1' prefix='64'/></network>", to: libvirt + "/lv.xml")
        try world.inHost("ip", "-6", "route", "add", "fd42:12::/48", "dev", "h-up", "table", "100").requireSuccess("route")
        try world.inHost("ip", "-6", "address", "add", "fd42:13::9/64", "dev", "h-up", "nodad").requireSuccess("address")
        let environment = ["VMNET_PODMAN_DIR": podman, "VMNET_LIBVIRT_NETWORKS_DIR": libvirt]
        let before = try world.footprint()
        let cases = [("fd42:10::/64", "podman network 'pm'"), ("fd42:11::/64", "libvirt network 'lv'"),
                     ("fd42:12:0:5::/64", "route fd42:12::/48 dev h-up table 100"), ("fd42:13::/64", "address fd42:13::9/64 on h-up")]
        for (subnet, origin) in cases {
            let result = try world.vmnet(["create", "x", "--subnet6", subnet], environment: environment)
            #expect(result.status == 4 && result.standardError.contains(origin), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
        #expect(try world.vmnet("create", "x", "--subnet6", "fd42:14::/56").status == 2)
        #expect(try world.vmnet("create", "x", "--subnet6", "2001:db8:1::/64").status == 2)
        #expect(try world.footprint() == before)
        #expect(!FileSystem.exists(world.stateDirectory + "/ula.json"))

        try world.ok("create", "a")
        let first = try #require(try world.network("a")["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) })
        let stored = try JSONCodec.parse(try FileSystem.read(world.stateDirectory + "/ula.json"), source: "ula")["prefix"]?.stringValue ?? ""
        let prefix = try #require(UniqueLocalPrefix(subnet: stored))
        #expect(prefix.subnet.contains(first.network))
        // Destroyed and made again, the name gets the same /64; a twin cannot have it.
        try world.ok("destroy", "a")
        try world.ok("create", "a", "--no-start")
        #expect(try world.network("a")["subnet6"]?.stringValue == first.description)
        let twin = try world.vmnet("create", "b", "--subnet6", first.description)
        #expect(twin.status == 4 && twin.standardError.contains("vmnet network 'a'"))
        // Taken while down: `up` refuses with the culprit, exit 4.
        try world.inHost("ip", "-6", "address", "add", first.host(0x99).description + "/64", "dev", "h-up", "nodad").requireSuccess("address")
        let refused = try world.vmnet("up", "a")
        #expect(refused.status == 4 && refused.standardError.contains("address \(first.host(0x99))/64 on h-up"), "\(refused.standardError)")
        try world.inHost("ip", "-6", "address", "del", first.host(0x99).description + "/64", "dev", "h-up").requireSuccess("address")
        try world.ok("up", "a")
        #expect(try world.inHost("ip", "-6", "address", "show", "dev", try world.bridge("a")).standardOutput.contains("\(first.host(1))/64"))
    }
}
