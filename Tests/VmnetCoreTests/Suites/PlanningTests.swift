import JSON
import Testing
import VmnetCore

@Suite struct PlanningTests {
    @Test func namesAreValidated() throws {
        #expect(try NetworkName(String(repeating: "a", count: 32)).value.count == 32)
        for bad in [String(repeating: "a", count: 33), "Proj", "-proj", "", "pro_j", "pröj"] {
            #expect(throws: VmnetError.self) { try NetworkName(bad) }
        }
    }

    @Test func bridgeNamesFitTheKernelAndAreStable() throws {
        #expect(BridgeNamer.bridgeName(for: try NetworkName("proj"), taken: []) == "vmn-proj")
        let long = try NetworkName("a-very-long-project-name")
        let first = BridgeNamer.bridgeName(for: long, taken: [])
        #expect(first.count <= 15 && first.hasPrefix("vmn-a-very"))
        #expect(BridgeNamer.bridgeName(for: long, taken: []) == first)
        let second = BridgeNamer.bridgeName(for: long, taken: [first])
        #expect(second != first && second.count <= 15)
        #expect(BridgeNamer.bridgeName(for: try NetworkName("proj"), taken: ["vmn-proj"]) != "vmn-proj")
        #expect(BridgeNamer.problem(with: "this-name-is-too-long") != nil)
        let keeper = BridgeNamer.keeperPort(for: "vmn-proj")
        #expect(keeper.port.count <= 15 && keeper.peer.count <= 15 && keeper.port != keeper.peer)
    }

    @Test func anExplicitSubnetThatCollidesIsRefusedWithWhatItHits() throws {
        let host = HostSnapshot(routes: [HostRoute(destination: IPv4Subnet("10.140.0.0/17")!, device: "wg0")])
        let request = CreateRequest(name: try NetworkName("x"), subnet: IPv4Subnet("10.140.5.0/24")!)
        do {
            _ = try NetworkPlanner.record(for: request, profile: Profile(name: "nat"), host: host, existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
            Issue.record("expected a conflict")
        } catch {
            #expect(error.code == .conflict && error.message.contains("route 10.140.0.0/17 dev wg0"))
        }
        let tiny = CreateRequest(name: try NetworkName("x"), subnet: IPv4Subnet("10.9.0.0/30")!)
        #expect(throws: VmnetError.self) {
            try NetworkPlanner.record(for: tiny, profile: Profile(name: "nat"), host: HostSnapshot(), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
        }
    }

    @Test func aPublicSubnetOrPoolIsRefusedUnlessAllowed() throws {
        #expect(PrivateRanges.contains(IPv4Subnet("10.140.7.0/24")!) && PrivateRanges.contains(IPv4Subnet("100.127.0.0/24")!))
        #expect(PrivateRanges.contains(IPv4Subnet("198.19.255.0/24")!) && PrivateRanges.contains(IPv4Subnet("172.31.0.0/16")!))
        #expect(!PrivateRanges.contains(IPv4Subnet("8.8.8.0/24")!) && !PrivateRanges.contains(IPv4Subnet("172.32.0.0/24")!))
        // Wider than a private range, so partly public.
        #expect(!PrivateRanges.contains(IPv4Subnet("10.0.0.0/7")!) && !PrivateRanges.contains(IPv4Subnet("198.51.100.0/24")!))
        func plan(_ request: CreateRequest, pools: [String] = ["10.140.0.0/16"]) throws(VmnetError) -> NetworkRecord {
            try NetworkPlanner.record(for: request, profile: Profile(name: "nat", pools: pools.map { IPv4Subnet($0)! }), host: HostSnapshot(),
                                      existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
        }
        var request = CreateRequest(name: try NetworkName("x"), subnet: IPv4Subnet("8.8.8.0/24")!)
        do {
            _ = try plan(request)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .invalidInput && error.message.contains("8.8.8.0/24 is public address space") && error.message.contains("--allow-public"))
        }
        request.allowPublic = true
        #expect(try plan(request).subnet == IPv4Subnet("8.8.8.0/24")!)
        var pooled = CreateRequest(name: try NetworkName("x"))
        #expect(throws: VmnetError.invalid(PrivateRanges.problem(with: IPv4Subnet("203.0.0.0/16")!, what: "profile 'nat' pool")!)) {
            try plan(pooled, pools: ["10.140.0.0/16", "203.0.0.0/16"])
        }
        pooled.allowPublic = true
        #expect(try plan(pooled, pools: ["203.0.0.0/16"]).subnet.prefixLength == 24)
    }

    @Test func aTakenBridgeNameIsAConflict() throws {
        let request = CreateRequest(name: try NetworkName("x"), bridge: "br0")
        do {
            _ = try NetworkPlanner.record(for: request, profile: Profile(name: "nat"), host: HostSnapshot(interfaces: ["br0"]), existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
            Issue.record("expected a conflict")
        } catch {
            #expect(error.code == .conflict)
        }
    }

    @Test func aNewRecordCopiesTheProfile() throws {
        var profile = Profile(name: "lab", mode: .hostOnly, mtu: 9000, isolation: false)
        profile.readHostFiles = true
        let record = try NetworkPlanner.record(for: CreateRequest(name: try NetworkName("lab")), profile: profile, host: HostSnapshot(), existing: [], defaultFirewall: .iptables, created: "t", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
        #expect(record.mode == .hostOnly && record.mtu == 9000 && !record.isolation && record.readHostFiles)
        #expect(record.firewall == .iptables && record.domain == "lab.vmnet" && record.bridge == "vmn-lab" && !record.enabled)
    }

    @Test func repeatedCreateMismatchesAreExplained() throws {
        let record = Fixtures.web
        #expect(NetworkPlanner.mismatch(CreateRequest(name: record.name), existing: record) == nil)
        let other = CreateRequest(name: record.name, subnet: IPv4Subnet("10.140.8.0/24")!, mtu: 1400)
        #expect(NetworkPlanner.mismatch(other, existing: record)?.contains("subnet 10.140.7.0/24, MTU 1500") == true)
    }

    @Test func recordsRoundTripThroughJSON() throws {
        var record = Fixtures.lab
        record.dnsUpstream = .servers([IPv4Address("192.0.2.53")!])
        record.readHostFiles = true
        let decoded = try NetworkRecordCoding.decode(text: JSONCodec.serialize(NetworkRecordCoding.encode(record)), file: "t")
        #expect(decoded == record)
    }

    @Test func stateFollowsWhatIsPresent() {
        let up = NetworkStatus(record: Fixtures.web, bridgePresent: true, dnsmasqPid: 42, firewallPresent: true)
        #expect(up.state == .up && up.problems.isEmpty)
        let noDnsmasq = NetworkStatus(record: Fixtures.web, bridgePresent: true, dnsmasqPid: nil, firewallPresent: true)
        #expect(noDnsmasq.state == .degraded && noDnsmasq.problems == ["dnsmasq is not running"])
        var disabled = Fixtures.web
        disabled.enabled = false
        #expect(NetworkStatus(record: disabled, bridgePresent: false, dnsmasqPid: nil, firewallPresent: false).state == .down)
        #expect(NetworkStatus(record: disabled, bridgePresent: true, dnsmasqPid: nil, firewallPresent: false).problems == ["bridge vmn-web still exists"])
    }

    @Test func linkPlansOnlyTheMissingSteps() {
        let network = Fixtures.web
        let keeper = BridgeNamer.keeperPort(for: network.bridge)
        let fresh = LinkPlanner.bringUp([network], host: HostSnapshot()).map(\.description)
        let mac = BridgeMAC.address(for: network.name)
        #expect(fresh.first == "ip link add name vmn-web mtu 1500 address \(mac) type bridge stp_state 0 forward_delay 0 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0")
        #expect(fresh.contains("ip link set dev \(keeper.port) up") && fresh.contains("ip link set dev \(keeper.peer) up"))
        #expect(fresh.contains("ip link set dev \(keeper.peer) addrgenmode none"))
        #expect(fresh.contains("ip address replace 10.140.7.1/24 dev vmn-web"))
        let present = HostSnapshot(
            addresses: [InterfaceAddress(interface: "vmn-web", address: network.gateway, prefixLength: 24)],
            interfaces: ["vmn-web", keeper.port])
        let again = LinkPlanner.bringUp([network], host: present).map(\.description)
        #expect(!again.contains { $0.hasPrefix("ip link add") || $0.hasPrefix("ip address") })
        // An existing bridge gets its MAC and switches back, whoever changed them.
        #expect(again.first == "ip link set dev vmn-web address \(mac) type bridge nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0")
        let group = LinkPlanner.deletionGroup
        #expect(LinkPlanner.tearDown([network], present: present.interfaces) == [
            .setGroup(name: "vmn-web", group: group), .setGroup(name: keeper.port, group: group), .deleteGroup(group),
        ])
        #expect(LinkPlanner.tearDown([network], present: []).isEmpty)
    }

    @Test func resolvedCallsRegisterTheDomainOnTheBridge() {
        #expect(ResolvedPlanner.register(Fixtures.web) == [
            ["resolvectl", "dns", "vmn-web", "10.140.7.1"], ["resolvectl", "domain", "vmn-web", "~web.vmnet"],
        ])
        #expect(ResolvedPlanner.unregister(Fixtures.web) == [["resolvectl", "revert", "vmn-web"]])
        #expect(ResolvedPlanner.manualLine(Fixtures.web) == "server=/web.vmnet/10.140.7.1")
    }

    @Test func upstreamsComeFromTheProfileOrTheHost() {
        let host = HostSnapshot(nameservers: [IPv4Address("10.140.7.1")!, IPv4Address("192.0.2.53")!, IPv4Address("192.0.2.53")!])
        #expect(DnsmasqConfig.upstreamServers(for: Fixtures.web, host: host, vmnetGateways: [IPv4Address("10.140.7.1")!]) == [IPv4Address("192.0.2.53")!])
        var stub = host
        stub.resolvedStubListening = true
        #expect(DnsmasqConfig.upstreamServers(for: Fixtures.web, host: stub, vmnetGateways: []) == [IPv4Address("127.0.0.53")!])
    }
}
