import JSON
import Testing
import VmnetCore

@Suite struct IPv6AddressingTests {
    @Test func addressesParseEveryFormAndPrintRFC5952() {
        let cases: [(String, String)] = [
            ("::", "::"), ("::1", "::1"), ("fd42:0:0:7::1", "fd42:0:0:7::1"), ("FD42:0000:0000:0007:0000:0000:0000:0001", "fd42:0:0:7::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("2001:db8::", "2001:db8::"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("1:2:3:4:5:6:0:8", "1:2:3:4:5:6:0:8"), ("::ffff:10.1.2.3", "::ffff:a01:203"),
        ]
        for (text, printed) in cases { #expect(IPv6Address(text)?.description == printed, "\(text)") }
        for bad in ["", ":", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1:::2", ":1::", "::1:", "fe80::1%eth0", "1.2.3.4"] {
            #expect(IPv6Address(bad) == nil, "\(bad)")
        }
        #expect(IPv6Address("::1:ffff")!.advanced(by: 1).description == "::2:0")
        #expect(IPv6Address(high: 0, low: .max).advanced(by: 1).description == "0:0:0:1::")
    }

    @Test func subnetsAreStrictAndKnowTheirEdges() {
        let subnet = IPv6Subnet("fd42:1:2:7::/64")!
        #expect(subnet.first.description == "fd42:1:2:7::" && subnet.last.description == "fd42:1:2:7:ffff:ffff:ffff:ffff")
        #expect(IPv6Subnet("fd42:1:2:7::1/64") == nil)
        #expect(IPv6Subnet.lenient("fd42:1:2:7::1/64") == subnet)
        #expect(IPv6Subnet("fd42::/129") == nil && IPv6Subnet("fd42::") == nil)
        #expect(IPv6Subnet("fd42:1::/32")!.overlaps(subnet) && subnet.overlaps(IPv6Subnet("fd42:1::/32")!))
        #expect(!subnet.overlaps(IPv6Subnet("fd42:1:2:8::/64")!))
        #expect(IPv6Subnet(routeDestination: "fd42::5")?.description == "fd42::5/128")
        #expect(subnet.reverseZone == "7.0.0.0.2.0.0.0.1.0.0.0.2.4.d.f.ip6.arpa")
        #expect(IPv6Address("fd42:1:2:7::14")!.reverseName.hasPrefix("4.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.0.0.0"))
    }

    @Test func theSlash64PlanKeepsItsRangesApart() {
        let plan = AddressPlan6(subnet: IPv6Subnet("fd42:1:2:7::/64")!)
        #expect(plan.gateway.description == "fd42:1:2:7::1")
        #expect(plan.dhcp.lowerBound.description == "fd42:1:2:7::1:0" && plan.dhcp.upperBound.description == "fd42:1:2:7::1:ffff")
        #expect(plan.containers.lowerBound.description == "fd42:1:2:7::2:0")
        #expect(plan.derived(fromHostOffset: 20)?.description == "fd42:1:2:7::14")
        #expect(plan.derived(fromHostOffset: 0x10000) == nil)
        #expect(!plan.staticHosts.overlaps(plan.dhcp) && !plan.dhcp.overlaps(plan.containers) && !plan.staticHosts.contains(plan.gateway))
    }

    @Test func theUniqueLocalPrefixIsAnFdSlash48() {
        let prefix = UniqueLocalPrefix(globalID: 0x12_3456_789a)
        #expect(prefix.description == "fd12:3456:789a::/48")
        #expect(UniqueLocalPrefix(subnet: "fd12:3456:789a::/48") == prefix)
        #expect(UniqueLocalPrefix(subnet: "fc12:3456:789a::/48") == nil && UniqueLocalPrefix(subnet: "fd12:3456::/32") == nil)
        #expect(UniqueLocalPrefix(globalID: .max).subnet.network.high >> 56 == 0xfd)
    }
}

@Suite struct IPv6AllocationTests {
    let prefix = UniqueLocalPrefix(globalID: 0x42_0001_0002)

    func allocate(_ name: String, _ host: HostSnapshot = HostSnapshot(), networks: [NetworkRecord] = []) throws -> IPv6Subnet {
        try SubnetAllocator(claims: ClaimCollector.claims(of: IPv6Address.self, host: host, networks: networks)).allocate(name: name, pools: [prefix.subnet], prefixLength: 64)
    }

    @Test func theSameNameGetsTheSameSlash64InsideThePrefix() throws {
        let subnet = try allocate("proj")
        let again = try allocate("proj"), other = try allocate("other")
        #expect(subnet == again && subnet != other)
        #expect(subnet.prefixLength == 64 && prefix.subnet.contains(subnet.network))
    }

    @Test func everySourceBlocksAndIsNamed() throws {
        let preferred = try allocate("proj")
        let sources: [(HostSnapshot, [NetworkRecord], String)] = [
            (HostSnapshot(routes6: [HostRoute(destination: preferred, table: "42", device: "wg0")]), [], "route \(preferred) dev wg0 table 42"),
            (HostSnapshot(routes6: [HostRoute(destination: IPv6Subnet(containing: preferred.network, prefixLength: 60), device: "tun0")]), [],
             "route \(IPv6Subnet(containing: preferred.network, prefixLength: 60)) dev tun0"),
            (HostSnapshot(addresses6: [InterfaceAddress(interface: "eth0", address: preferred.host(77), prefixLength: 64)]), [], "address \(preferred.host(77))/64 on eth0"),
            (HostSnapshot(foreignNetworks6: [ForeignNetwork(owner: "podman", name: "pn", file: "/p.json", subnet: preferred)]), [], "podman network 'pn' (/p.json)"),
            (HostSnapshot(), [Fixtures.network("taken", subnet: "10.140.3.0/24", subnet6: preferred.description)], "vmnet network 'taken'"),
        ]
        for (host, networks, origin) in sources {
            let claims = ClaimCollector.claims(of: IPv6Address.self, host: host, networks: networks)
            #expect(claims.map(\.origin).contains(origin), "\(origin)")
            let moved = try allocate("proj", host, networks: networks)
            #expect(moved != preferred && SubnetAllocator(claims: claims).isFree(moved), "\(origin)")
        }
    }

    @Test func defaultShortAndLinkLocalRoutesAndAddressesDoNotBlock() throws {
        let preferred = try allocate("proj")
        let host = HostSnapshot(
            routes6: [HostRoute(destination: IPv6Subnet("fc00::/7")!), HostRoute(destination: IPv6Subnet("fe80::/64")!, device: "eth0"),
                      HostRoute(destination: IPv6Subnet(routeDestination: preferred.host(1).description)!, table: "local", type: "local")],
            addresses6: [InterfaceAddress(interface: "eth0", address: IPv6Address("fe80::1")!, prefixLength: 10)])
        #expect(ClaimCollector.claims(of: IPv6Address.self, host: host, networks: []).isEmpty)
        #expect(try allocate("proj", host) == preferred)
    }

    @Test func anIPv6NameserverClaimsItsAddressLikeAnIPv4One() throws {
        let preferred = try allocate("proj")
        let server = preferred.host(0x53)
        let host = HostSnapshot(nameservers6: [server, IPv6Address("fe80::1")!])
        #expect(ClaimCollector.claims(of: IPv6Address.self, host: host, networks: []).map(\.origin) == ["nameserver \(server) in resolv.conf"])
        #expect(try allocate("proj", host) != preferred)
        #expect(ClaimCollector.claims(of: IPv4Address.self, host: host, networks: []).isEmpty)
    }

    @Test func tenThousandIPv6RoutesStillLeaveAFreeSlash64Quickly() throws {
        // Every other /60, half of them inside the /48.
        let routes = (0..<10_000).map { index in
            HostRoute(destination: IPv6Subnet(containing: IPv6Address(high: prefix.subnet.network.high + UInt64(index) << 5, low: 0), prefixLength: 60),
                      device: "r\(index % 7)")
        }
        let subnet = try allocate("many", HostSnapshot(routes6: routes))
        #expect(routes.allSatisfy { !$0.destination.overlaps(subnet) })
    }

    @Test func aPublicPrefixIsRefusedInTheSameWordsAsAPublicSubnet() {
        #expect(PrivateRanges.problem(with: IPv6Subnet("fd42:1:2:3::/64")!, what: "subnet6") == nil)
        #expect(PrivateRanges.problem(with: IPv6Subnet("2001:db8:1:2::/64")!, what: "subnet6")
            == "subnet6 2001:db8:1:2::/64 is outside the unique local range fc00::/7: the host would lose its route to the real 2001:db8:1:2::/64: choose an fd00::/8 prefix, or pass --allow-public if it is delegated to you")
        #expect(PrivateRanges.problem(with: IPv4Subnet("8.8.8.0/24")!, what: "subnet")
            == "subnet 8.8.8.0/24 is public address space (outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and 198.18.0.0/15): the host would lose its route to the real 8.8.8.0/24: choose a private subnet, or pass --allow-public if you own it")
    }

    @Test func aFullPoolNamesWhatTookIt() {
        let pool = IPv6Subnet("fd42:9:9:9::/64")!
        let claims = [SubnetClaim(subnet: IPv6Subnet("fd42:9::/32")!, origin: "route fd42:9::/32 dev vpn0")]
        #expect(throws: VmnetError.self) { try SubnetAllocator(claims: claims).allocate(name: "x", pools: [pool], prefixLength: 64) }
        do {
            _ = try SubnetAllocator(claims: claims).allocate(name: "x", pools: [pool], prefixLength: 64)
        } catch {
            #expect(error.message.contains("pool fd42:9:9:9::/64 is taken by route fd42:9::/32 dev vpn0"))
        }
    }

    @Test func createChecksSubnet6LikeSubnet() throws {
        let profile = Profile(name: "nat")
        var request = CreateRequest(name: try NetworkName("proj"))
        let planned = try NetworkPlanner.record(for: request, profile: profile, host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: prefix)
        #expect(planned.subnet6 == (try allocate("proj")) && planned.gateway6 == planned.subnet6!.host(1))
        request.subnet6 = IPv6Subnet("fd42:7::/48")
        #expect(throws: VmnetError.self) { try NetworkPlanner.record(for: request, profile: profile, host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: prefix) }
        request.subnet6 = IPv6Subnet("2001:db8:1:2::/64")
        #expect(throws: VmnetError.self) { try NetworkPlanner.record(for: request, profile: profile, host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: prefix) }
        request.allowPublic = true
        #expect(try NetworkPlanner.record(for: request, profile: profile, host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: prefix).subnet6 == request.subnet6)
        request.subnet6 = IPv6Subnet("fd42:1:2:7::/64")
        let other = Fixtures.network("other", subnet: "10.140.3.0/24", subnet6: "fd42:1:2:7::/64")
        do {
            _ = try NetworkPlanner.record(for: request, profile: profile, host: HostSnapshot(), existing: [other], defaultFirewall: .nftables, created: "t", uniqueLocal: prefix)
            Issue.record("a colliding --subnet6 was accepted")
        } catch {
            #expect(error.code == .conflict && error.message.contains("collides with vmnet network 'other'"))
        }
        request.subnet6 = nil
        request.noIPv6 = true
        #expect(try NetworkPlanner.record(for: request, profile: profile, host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: prefix).subnet6 == nil)
        request.noIPv6 = false
        #expect(try NetworkPlanner.record(for: request, profile: Profile(name: "v4", ipv6: .off), host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t").subnet6 == nil)
    }

    @Test func recordsKeepSubnet6AndOlderRecordsReadAsIPv4Only() throws {
        let record = Fixtures.web6
        let text = JSONCodec.serialize(NetworkRecordCoding.encode(record))
        #expect(try NetworkRecordCoding.decode(text: text, file: "n.json") == record)
        let off = Fixtures.web
        #expect(try NetworkRecordCoding.decode(text: JSONCodec.serialize(NetworkRecordCoding.encode(off)), file: "n.json").subnet6 == nil)
        var old = NetworkRecordCoding.encode(off).objectValue!
        old["version"] = .integer(1)
        old["subnet6"] = nil
        #expect(try NetworkRecordCoding.decode(text: JSONCodec.serialize(.object(old)), file: "n.json").subnet6 == nil)
        var wrong = NetworkRecordCoding.encode(record).objectValue!
        wrong["subnet6"] = .string("fd42:1:2::/48")
        #expect(throws: VmnetError.self) { try NetworkRecordCoding.decode(text: JSONCodec.serialize(.object(wrong)), file: "n.json") }
    }
}

@Suite struct IPv6CollisionTests {
    @Test func upAndDoctorSeeWhatTookTheSlash64() {
        let network = Fixtures.web6
        let free = SubnetCollision.conflicts(of: IPv6Address.self, for: [network], host: HostSnapshot(addresses6: [
            InterfaceAddress(interface: "vmn-web6", address: network.gateway6!, prefixLength: 64),
        ]), networks: [network])
        #expect(free.isEmpty)
        let taken = SubnetCollision.conflicts(of: IPv6Address.self, for: [network], host: HostSnapshot(addresses6: [
            InterfaceAddress(interface: "eth9", address: network.subnet6!.host(0x77), prefixLength: 64),
        ]), networks: [network])
        let description = SubnetCollision.describe(network, [], taken[network.name] ?? [])
        #expect(description == "fd42:1:2:7::/64 collides with address fd42:1:2:7::77/64 on eth9")
        let twin = Fixtures.network("twin", subnet: "10.140.99.0/24", subnet6: "fd42:1:2:7::/64")
        #expect(SubnetCollision.conflicts(of: IPv6Address.self, for: [network], host: HostSnapshot(), networks: [network, twin])[network.name]?.map(\.origin) == ["vmnet network 'twin'"])
        #expect(SubnetCollision.describe(Fixtures.web, [], []) == nil)
    }

    @Test func bothFamiliesAnswerInOneShape() {
        let network = Fixtures.web6
        let quiet = HostSnapshot()
        #expect(SubnetCollision.conflicts(of: IPv4Address.self, for: [network], host: quiet, networks: [network]).isEmpty)
        #expect(SubnetCollision.conflicts(of: IPv6Address.self, for: [network], host: quiet, networks: [network]).isEmpty)
        let busy = HostSnapshot(
            addresses: [InterfaceAddress(interface: "eth9", address: network.subnet.host(9), prefixLength: 24)],
            addresses6: [InterfaceAddress(interface: "eth9", address: network.subnet6!.host(9), prefixLength: 64)])
        let v4 = SubnetCollision.conflicts(of: IPv4Address.self, for: [network], host: busy, networks: [network])
        let v6 = SubnetCollision.conflicts(of: IPv6Address.self, for: [network], host: busy, networks: [network])
        #expect(Array(v4.keys) == [network.name] && Array(v6.keys) == [network.name])
        #expect(v4[network.name]?.map(\.origin) == ["address \(network.subnet.host(9))/24 on eth9"])
        #expect(v6[network.name]?.map(\.origin) == ["address \(network.subnet6!.host(9))/64 on eth9"])
    }

    @Test func procIPv6RoutesParse() {
        let text = """
            fd4200010002000700000000000000004 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth9
            fd420001000200070000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth9
            fd420001000200070000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001     eth9
            ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000003 00000000 00000001     eth9
            """
        let routes = ProcNetRoute.routes6(text)
        #expect(routes.map(\.destination.description) == ["fd42:1:2:7::/64", "fd42:1:2:7::1/128", "ff00::/8"])
        #expect(routes.map(\.type) == ["unicast", "local", "multicast"] && routes[0].device == "eth9")
    }
}

@Suite struct IPv6AvailabilityTests {
    @Test func aHostWithoutIPv6RefusesOnlyNetworksThatWantIt() throws {
        let dual = Fixtures.web6, plain = Fixtures.web
        #expect(IPv6Availability().problem(for: [dual], existing: [], creating: true) == nil)
        #expect(IPv6Availability(kernelHasIPv6: false).problem(for: [plain], existing: [], creating: true) == nil)
        let noKernel = try #require(IPv6Availability(kernelHasIPv6: false).problem(for: [plain, dual], existing: [], creating: true))
        #expect(noKernel.code == .missingDependency && noKernel.message.contains("'web6'") && noKernel.message.contains("ipv6.disable=1"))
        #expect(noKernel.message.contains("--no-ipv6"))
        let byDefault = try #require(IPv6Availability(disabledByDefault: true).problem(for: [dual], existing: [], creating: true))
        #expect(byDefault.message.contains("net.ipv6.conf.default.disable_ipv6 is 1"))
        // An existing bridge is judged by its own switch, not the default.
        #expect(IPv6Availability(disabledByDefault: true).problem(for: [dual], existing: ["vmn-web6"], creating: false) == nil)
        let bridge = try #require(IPv6Availability(disabledBridges: ["vmn-web6"]).problem(for: [dual], existing: ["vmn-web6"], creating: false))
        #expect(bridge.message.contains("net.ipv6.conf.vmn-web6.disable_ipv6 is 1") && bridge.message.contains("destroy it and create it again with --no-ipv6"))
    }
}
