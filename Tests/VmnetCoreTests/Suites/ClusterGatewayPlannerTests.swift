import Testing
import VmnetCore

/// The way out of NAT cluster networks: the northbound rows, the transit subnet, the gateway
/// host's own bridge and its nft table.
@Suite struct ClusterGatewayPlannerTests {
    static func network(_ name: String = "shop", mode: NetworkMode = .nat, gateways: [String] = ["h1", "h2"]) throws -> ClusterNetwork {
        ClusterNetwork(
            name: try NetworkName(name), profile: "ovn-nat", mode: mode, subnet: IPv4Subnet("10.140.7.0/24")!, subnet6: nil,
            planOffsets: .proportional(prefixLength: 24), mtu: 1442, leaseTime: "1h", dnsServers: [], gateways: gateways,
            created: "2026-12-04T07:00:00Z")
    }

    static let transit = "100.64.3.0/24"
    static let otherRouterPort = OVSDBRow(["name": .string("vmnet-web-ext"), "networks": .strings(["100.64.3.2/24"])])
    static let internalRouterPort = OVSDBRow(["name": .string("vmnet-web-lrp"), "networks": .strings(["10.140.9.1/24"])])
    static let externalSwitch = OVSDBRow(["_uuid": .uuid("sw"), "name": .string("vmnet-external"),
                                          "ports": .set([.uuid("localnet"), .uuid("web-port")])])

    @Test func theFirstNATNetworkMakesTheExternalSwitch() throws {
        let observation = ClusterGatewayPlanner.Observation(storedTransit: Self.transit, externalSwitch: nil, routerPorts: [Self.internalRouterPort],
                                                            networkPort: nil, localnetPort: nil)
        let operations = try ClusterGatewayPlanner(network: Self.network(), observation: observation).createOperations()
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.northbound, operations).lines, "ovn-gateway-create-first.txt")
    }

    @Test func laterNATNetworksTakeTheNextTransitAddress() throws {
        let observation = ClusterGatewayPlanner.Observation(storedTransit: Self.transit, externalSwitch: Self.externalSwitch,
                                                            routerPorts: [Self.otherRouterPort], networkPort: nil, localnetPort: "localnet")
        let planner = ClusterGatewayPlanner(network: try Self.network(), observation: observation)
        #expect(try planner.routerAddress(in: ClusterTransit(subnet: IPv4Subnet(Self.transit)!)) == IPv4Address("100.64.3.3"))
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.northbound, try planner.createOperations()).lines, "ovn-gateway-create-next.txt")
    }

    @Test func hostOnlyNetworksHaveNoWayOut() throws {
        let observation = ClusterGatewayPlanner.Observation(storedTransit: nil, externalSwitch: nil, routerPorts: [], networkPort: nil, localnetPort: nil)
        #expect(try ClusterGatewayPlanner(network: Self.network(mode: .hostOnly, gateways: []), observation: observation).createOperations() == [])
        #expect(throws: VmnetError.self) { try ClusterGatewayPlanner(network: Self.network(), observation: observation).createOperations() }
    }

    @Test func theLastNATNetworkTakesTheExternalSwitchAlong() throws {
        let last = ClusterGatewayPlanner.Observation(storedTransit: Self.transit, externalSwitch: Self.externalSwitch, routerPorts: [],
                                                     networkPort: "web-port", localnetPort: "localnet")
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.northbound, ClusterGatewayPlanner(network: Self.network("web"), observation: last)
            .removalOperations()).lines, "ovn-gateway-remove-last.txt")
        var switchRow = Self.externalSwitch
        switchRow.columns["ports"] = .set([.uuid("localnet"), .uuid("web-port"), .uuid("shop-port")])
        let notLast = ClusterGatewayPlanner.Observation(storedTransit: Self.transit, externalSwitch: switchRow, routerPorts: [],
                                                        networkPort: "web-port", localnetPort: "localnet")
        #expect(ClusterGatewayPlanner(network: try Self.network("web"), observation: notLast).removalOperations() == [
            .mutate(table: "Logical_Switch", where: [.equals("name", .string("vmnet-external"))], mutations: [.delete("ports", .set([.uuid("web-port")]))]),
        ])
    }

    @Test func theTransitSubnetIsTheStoredOneWhenFreeHere() throws {
        let free = SubnetAllocator<IPv4Address>(claims: [])
        #expect(try ClusterTransit.choose(stored: Self.transit, allocator: free).subnet.description == Self.transit)
        let taken = SubnetAllocator(claims: [SubnetClaim(subnet: IPv4Subnet("100.64.0.0/16")!, origin: "route 100.64.0.0/16 dev tailscale0")])
        #expect(throws: VmnetError.self) { try ClusterTransit.choose(stored: Self.transit, allocator: taken) }
        let chosen = try ClusterTransit.choose(stored: nil, allocator: taken)
        #expect(ClusterTransit.pool.contains(chosen.subnet.network) && !chosen.subnet.overlaps(IPv4Subnet("100.64.0.0/16")!))
        #expect(chosen.gatewayAddress == chosen.subnet.host(1))
    }

    @Test func aGatewayHostGetsItsBridgeAndKeepsOtherMappings() throws {
        let transit = ClusterTransit(subnet: IPv4Subnet(Self.transit)!)
        let fresh = TransitBridgePlanner(externalIDs: ["ovn-bridge-mappings": "physnet1:br-ex", "ovn-bridge-datapath-type": "netdev"], bridge: nil)
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.openVSwitch, fresh.createOperations(transit: transit)).lines, "ovs-transit-bridge-create.txt")
        let present = TransitBridgePlanner(externalIDs: ["ovn-bridge-mappings": "physnet1:br-ex,vmnet-external:br-vmnet-ext"], bridge: "b1")
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.openVSwitch, present.removalOperations()).lines, "ovs-transit-bridge-remove.txt")
    }

    @Test func theGatewayTableMasqueradesTheTransitAndForwards() throws {
        let transit = ClusterTransit(subnet: IPv4Subnet(Self.transit)!)
        let ruleset = ClusterGatewayRuleset(transit: transit, forwards: [
            .init(proto: .udp, address: nil, port: 5353, endPort: 5353, routerAddress: IPv4Address("100.64.3.3")!),
            .init(proto: .tcp, address: IPv4Address("198.51.100.1"), port: 8080, endPort: 8081, routerAddress: IPv4Address("100.64.3.2")!),
        ])
        try GoldenFile.check(ruleset.replacement, "nft-cluster-gateway.nft")
    }
}
