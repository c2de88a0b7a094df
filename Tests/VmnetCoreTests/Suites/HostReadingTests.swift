import Testing
import VmnetCore

@Suite struct HostReadingTests {
    @Test func routesFromIpJSON() throws {
        let text = """
            [{"dst":"default","gateway":"192.0.2.1","dev":"eth0","protocol":"dhcp","flags":[]},
             {"dst":"10.8.0.0/16","dev":"wg0","scope":"link","flags":[]},
             {"dst":"10.9.0.1","dev":"wg0","table":"100","flags":[]},
             {"type":"broadcast","dst":"192.0.2.255","table":"local","dev":"eth0","flags":[]},
             {"type":"local","dst":"192.0.2.10","table":"local","dev":"eth0","flags":[]}]
            """
        let routes = try IprouteParser.routes(of: IPv4Address.self, fromJSON: text)
        #expect(routes.count == 4)
        #expect(routes[0] == HostRoute(destination: IPv4Subnet("10.8.0.0/16")!, table: "main", device: "wg0"))
        #expect(routes[1].destination.description == "10.9.0.1/32" && routes[1].table == "100")
        #expect(routes[2].type == "broadcast" && routes[3].type == "local")
    }

    @Test func ipv6RoutesFromIpJSONThroughTheSameReader() throws {
        let text = """
            [{"dst":"default","gateway":"fe80::1","dev":"eth0","protocol":"ra","flags":[]},
             {"dst":"fd42:1:2:7::/64","dev":"wg0","flags":[]},
             {"type":"local","dst":"fd42:1:2:7::1","table":"local","dev":"wg0","flags":[]},
             {"dst":"10.8.0.0/16","dev":"wg0","flags":[]}]
            """
        let routes = try IprouteParser.routes(of: IPv6Address.self, fromJSON: text)
        #expect(routes == [HostRoute(destination: IPv6Subnet("fd42:1:2:7::/64")!, device: "wg0"),
                           HostRoute(destination: IPv6Subnet("fd42:1:2:7::1/128")!, table: "local", device: "wg0", type: "local")])
    }

    @Test func resolvConfNameservers() {
        let text = "# generated\nnameserver 192.0.2.53\nnameserver\t10.140.7.1\nnameserver ::1\nsearch example.test\n"
        #expect(ResolvConf.nameservers(in: text) == [IPv4Address("192.0.2.53")!, IPv4Address("10.140.7.1")!])
    }

    @Test func resolvConfNameserversOfEachFamily() {
        let text = "nameserver 192.0.2.53\nnameserver fd42:1:2:3::53\nnameserver fe80::1%eth0\nnameserver ::1\n"
        #expect(ResolvConf.nameservers(of: IPv4Address.self, in: text) == [IPv4Address("192.0.2.53")!])
        #expect(ResolvConf.nameservers(of: IPv6Address.self, in: text) == [IPv6Address("fd42:1:2:3::53")!, IPv6Address("::1")!])
    }

    @Test func resolvedStubIsFoundInProcNetUDP() {
        let table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             1: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 1 2 0000000000000000 0
            """
        #expect(SocketTable.hasListener(in: table, address: IPv4Address("127.0.0.53")!, port: 53))
        #expect(!SocketTable.hasListener(in: table, address: IPv4Address("127.0.0.1")!, port: 53))
    }

    @Test func podmanFilesGiveSubnetsAndVmnetOwnership() throws {
        let foreign = try #require(ForeignNetworkFiles.podmanSubnets(json: #"{"name":"pm","subnets":[{"subnet":"10.89.0.0/24","gateway":"10.89.0.1"}]}"#, file: "pm.json"))
        #expect(foreign.name == "pm" && foreign.subnets == [IPv4Subnet("10.89.0.0/24")!] && !foreign.vmnetOwned)
        let ours = try #require(ForeignNetworkFiles.podmanSubnets(json: #"{"name":"p","subnets":[],"labels":{"vmnet.network":"p"}}"#, file: "p.json"))
        #expect(ours.vmnetOwned)
        #expect(ForeignNetworkFiles.podmanSubnets(json: "not json", file: "x") == nil)
    }

    @Test func libvirtFilesGiveSubnets() {
        let xml = """
            <network><name>default</name>
              <ip address='192.168.122.1' netmask='255.255.255.0'><dhcp/></ip>
              <ip address="10.7.0.1" prefix="16"/>
              <ip family='ipv6' address='fd00::1' prefix='64'/>
            </network>
            """
        let parsed = ForeignNetworkFiles.libvirtSubnets(xml: xml)
        #expect(parsed.name == "default")
        #expect(parsed.subnets == [IPv4Subnet("192.168.122.0/24")!, IPv4Subnet("10.7.0.0/16")!])
    }

    @Test func leaseFileLinesParse() {
        let text = "1795581850 52:54:00:12:34:56 10.140.67.236 * 01:52:54:00:12:34:56\n0 02:aa:bb:cc:dd:ee 10.140.67.200 web *\nduid 00:01:00:01\n"
        let leases = DHCPLease.parse(text)
        #expect(leases.count == 2)
        #expect(leases[0].hostname == nil && leases[0].expires == 1_795_581_850)
        #expect(leases[1].hostname == "web" && leases[1].mac.description == "02:aa:bb:cc:dd:ee")
    }
}
