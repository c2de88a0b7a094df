import JSON
import Testing
import VmnetCore

/// Runtime files of dual-stack networks, containers' IPv6 names, and other tools' IPv6 subnets.
@Suite struct RuntimeIPv6Tests {
    @Test func podmanDualStack() throws {
        try GoldenFile.check(PodmanNetworkConfig.render(Fixtures.web6), "podman-nat-ipv6.json")
        try GoldenFile.check(PodmanNetworkConfig.render(Fixtures.lab6), "podman-host-only-ipv6.json")
        let json = try JSONCodec.parse(PodmanNetworkConfig.render(Fixtures.web6), source: "podman")
        #expect(json["ipv6_enabled"] == .bool(true))
        let second = try #require(json["subnets"]?.arrayValue?.last)
        let start = try #require(second["lease_range"]?["start_ip"]?.stringValue.flatMap { IPv6Address($0) })
        let end = try #require(second["lease_range"]?["end_ip"]?.stringValue.flatMap { IPv6Address($0) })
        let plan = try #require(Fixtures.web6.plan6)
        #expect(start...end == plan.containers && !plan.dhcp.overlaps(start...end))
        #expect(second["gateway"]?.stringValue == "fd42:1:2:7::1")
    }

    @Test func cniDualStack() throws {
        try GoldenFile.check(CNIConflist.render(Fixtures.web6), "cni-nat-ipv6.conflist")
        try GoldenFile.check(CNIConflist.render(Fixtures.lab6), "cni-host-only-ipv6.conflist")
        let ipam = try JSONCodec.parse(CNIConflist.render(Fixtures.web6), source: "cni")["plugins"]?.arrayValue?.first?["ipam"]
        #expect(ipam?["ranges"]?.arrayValue?.count == 2)
        #expect(ipam?["routes"]?.arrayValue?.compactMap { $0["dst"]?.stringValue } == ["0.0.0.0/0", "::/0"])
        // Host-only: no route of either family.
        let hostOnly = try JSONCodec.parse(CNIConflist.render(Fixtures.lab6), source: "cni")["plugins"]?.arrayValue?.first?["ipam"]
        #expect(hostOnly?["routes"] == nil && hostOnly?["ranges"]?.arrayValue?.count == 2)
    }

    /// libvirt accepts no IPv6 for a bridge it does not own (see LibvirtXML): the XML is the
    /// IPv4-only one.
    @Test func libvirtXMLIsTheSameWithIPv6() throws {
        var web = Fixtures.web
        web.subnet6 = IPv6Subnet("fd42:1:2:7::/64")
        #expect(LibvirtXML.network(web) == LibvirtXML.network(Fixtures.web))
        #expect(LibvirtXML.interface(web, attachment: .bridge, mac: "02:00:00:00:00:01")
                == LibvirtXML.interface(Fixtures.web, attachment: .bridge, mac: "02:00:00:00:00:01"))
    }

    @Test func ipv4OnlyNetworksRenderAsBefore() throws {
        let json = try JSONCodec.parse(PodmanNetworkConfig.render(Fixtures.web), source: "podman")
        #expect(json["ipv6_enabled"] == .bool(false) && json["subnets"]?.arrayValue?.count == 1)
        let ipam = try JSONCodec.parse(CNIConflist.render(Fixtures.web), source: "cni")["plugins"]?.arrayValue?.first?["ipam"]
        #expect(ipam?["ranges"]?.arrayValue?.count == 1 && ipam?["routes"]?.arrayValue?.count == 1)
    }

    /// `ip -j address` in a netavark container on a dual-stack network (podman 4.3): a static
    /// address from the containers' range and one SLAAC formed from vmnet's RA.
    static let interfaces = #"""
        [{"ifindex":1,"ifname":"lo","link_type":"loopback","address":"00:00:00:00:00:00","addr_info":[{"family":"inet6","local":"::1","prefixlen":128,"scope":"host"}]},
         {"ifindex":2,"ifname":"eth0","link_type":"ether","address":"ee:fe:6c:ad:a3:7b","addr_info":[
           {"family":"inet","local":"10.140.13.70","prefixlen":24,"scope":"global"},
           {"family":"inet6","local":"fd42:1:2:7:ecfe:6cff:fead:a37b","prefixlen":64,"scope":"global","dynamic":true},
           {"family":"inet6","local":"fd42:1:2:7::2:0","prefixlen":64,"scope":"global"},
           {"family":"inet6","local":"fe80::ecfe:6cff:fead:a37b","prefixlen":64,"scope":"link"}]}]
        """#

    @Test func aContainersIPv6AddressIsRegisteredAndNamed() throws {
        let interfaces = try ContainerInterface.parse(ipJSON: Self.interfaces)
        #expect(interfaces.count == 1)
        #expect(interfaces[0].addresses6 == [IPv6Address("fd42:1:2:7:ecfe:6cff:fead:a37b")!, IPv6Address("fd42:1:2:7::2:0")!])
        let state = OCIState(id: "ef1b6bf18c25", status: "creating", pid: 11721, bundle: "/b/ef1b6bf18c25/userdata")
        let list = try #require(try ContainerRegistrar.register(container: state, name: "web1", interfaces: interfaces, network: Fixtures.web6,
                                                                reservations: [], leases: [], existing: [], now: 1000))
        // The address from the containers' range, not the SLAAC one.
        #expect(list.map(\.ip6) == [IPv6Address("fd42:1:2:7::2:0")!])
        try GoldenFile.check(ContainerHostsFiles.addnHosts(list, domain: Fixtures.web6.domain), "container-hosts-ipv6.txt")
        // containers.json keeps it; files written before IPv6 read as without.
        let encoded = JSONCodec.serialize(ContainerRegistration.encode(list))
        #expect(try ContainerRegistration.decode(encoded, file: "containers.json") == list)
        let old = #"[{"id": "a", "name": "web1", "mac": "ee:fe:6c:ad:a3:7b", "ip": "10.140.13.70", "pid": 1}]"#
        #expect(try ContainerRegistration.decode(old, file: "containers.json").map(\.ip6) == [nil])
        #expect(throws: VmnetError.self) {
            try ContainerRegistration.decode(#"[{"id": "a", "mac": "ee:fe:6c:ad:a3:7b", "ip": "10.140.13.70", "ip6": "nope"}]"#, file: "c.json")
        }
        // On a network without IPv6 the same container registers its IPv4 address only.
        let v4 = try #require(try ContainerRegistrar.register(container: state, name: "web1", interfaces: interfaces,
                                                              network: Fixtures.network("web6", subnet: "10.140.13.0/24"),
                                                              reservations: [], leases: [], existing: [], now: 1000))
        #expect(v4.map(\.ip6) == [nil])
    }

    @Test func theIPv6GatewayOrAnotherContainersIPv6IsRefused() throws {
        func refusal(_ ip6: String, existing: [ContainerRegistration] = []) -> String? {
            let interfaces = [ContainerInterface(name: "eth0", mac: MACAddress("ee:fe:6c:ad:a3:7b")!, addresses: [IPv4Address("10.140.13.70")!],
                                                 addresses6: [IPv6Address(ip6)!])]
            let state = OCIState(id: "ef1b6bf18c25", status: "creating", pid: 1, bundle: "/b")
            do {
                _ = try ContainerRegistrar.register(container: state, name: "web1", interfaces: interfaces, network: Fixtures.web6,
                                                    reservations: [], leases: [], existing: existing, now: 1000)
                return nil
            } catch { return error.message }
        }
        #expect(refusal("fd42:1:2:7::1")?.contains("fd42:1:2:7::1 is the network's IPv6 gateway") == true)
        let other = ContainerRegistration(id: "b", name: "web2", mac: MACAddress("02:00:00:00:00:33")!, ip: IPv4Address("10.140.13.71")!,
                                          ip6: IPv6Address("fd42:1:2:7::2:5")!, pid: 2)
        #expect(refusal("fd42:1:2:7::2:5", existing: [other])?.contains("is used by container 'web2'") == true)
        #expect(refusal("fd42:1:2:7::2:6", existing: [other]) == nil)
    }

    @Test func otherToolsIPv6SubnetsAreRead() throws {
        // A podman 4.3 dual-stack network, as `podman network create --ipv6` writes it.
        let podman = #"""
            {"name": "podman1", "id": "5f1a", "driver": "bridge", "network_interface": "podman1",
             "subnets": [{"subnet": "10.89.0.0/24", "gateway": "10.89.0.1"},
                         {"subnet": "fd79:5ae3:b3c1:2cf6::/64", "gateway": "fd79:5ae3:b3c1:2cf6::1"}],
             "ipv6_enabled": true, "internal": false, "dns_enabled": true, "ipam_options": {"driver": "host-local"}}
            """#
        #expect(ForeignNetworkFiles.podmanSubnets(json: podman, file: "podman1.json")?.subnets6 == [IPv6Subnet("fd79:5ae3:b3c1:2cf6::/64")!])
        #expect(ForeignNetworkFiles.podmanSubnets(json: podman, file: "podman1.json")?.subnets == [IPv4Subnet("10.89.0.0/24")!])
        #expect(ForeignNetworkFiles.podmanSubnets(json: PodmanNetworkConfig.render(Fixtures.web), file: "web.json")?.subnets6 == [])
        #expect(ForeignNetworkFiles.podmanSubnets(json: "{broken", file: "x.json") == nil)
        // libvirt needs family='ipv6' for an IPv6 <ip> (it refuses one without); prefix defaults to 64.
        let libvirt = """
            <network>
              <name>default6</name>
              <forward mode="nat"/>
              <ip address="192.168.122.1" netmask="255.255.255.0"/>
              <ip family="ipv6" address="fd00:dead:beef:1::1" prefix="64"/>
              <ip family='ipv6' address='fd00:dead:beef:2::1'/>
            </network>
            """
        #expect(ForeignNetworkFiles.libvirtSubnets(xml: libvirt).subnets6 == [IPv6Subnet("fd00:dead:beef:1::/64")!, IPv6Subnet("fd00:dead:beef:2::/64")!])
        #expect(ForeignNetworkFiles.libvirtSubnets(xml: libvirt).subnets == [IPv4Subnet("192.168.122.0/24")!])
        #expect(ForeignNetworkFiles.libvirtSubnets(xml: LibvirtXML.network(Fixtures.web6)).subnets6 == [])
    }
}
