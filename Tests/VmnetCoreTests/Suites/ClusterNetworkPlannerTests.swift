import JSON
import Testing
import VmnetCore

/// Cluster networks in the northbound database: allocation across the cluster, and the
/// transactions that create and destroy them.
@Suite struct ClusterNetworkPlannerTests {
    static let uniqueLocal = UniqueLocalPrefix(globalID: 0x42_0102_0304)

    static func profile(_ mode: NetworkMode, ipv6: IPv6Setting = .ula) -> Profile {
        Profile(name: mode == .nat ? "ovn-nat" : "ovn-host-only", mode: mode, ipv6: ipv6, engine: .ovn)
    }

    static func switchRow(_ name: String, subnet: String, ids: [String: String] = [:]) -> OVSDBRow {
        OVSDBRow(["name": .string(name), "other_config": .map(["subnet": subnet]), "external_ids": .map(ids)])
    }

    static func plan(_ name: String, mode: NetworkMode = .nat, switches: [OVSDBRow] = [], published: [SubnetClaim<IPv4Address>] = [],
                     host: HostSnapshot = HostSnapshot(), ipv6: IPv6Setting = .ula, dns: [IPv4Address] = [IPv4Address("198.51.100.53")!]
    ) throws -> ClusterNetwork {
        try ClusterNetworkPlanner.network(
            for: ClusterCreateRequest(name: NetworkName(name)), profile: profile(mode, ipv6: ipv6), switches: switches, published: published,
            host: host, localNetworks: [], uniqueLocal: uniqueLocal, underlayMTU: 1500, dnsServers: dns,
            gateways: mode == .nat ? ["h1"] : [], created: "2026-12-04T07:00:00Z")
    }

    @Test func createTransactionOfANATNetwork() throws {
        let read = [Self.switchRow("other-tool", subnet: "192.168.50.0/24")]
        let network = try Self.plan("shop", switches: read)
        #expect(network.mtu == 1442)
        let transaction = ClusterNetworkPlanner.createTransaction(network, readSwitches: read, publishing: (chassis: "h1", claims: "192.0.2.0/24"))
        try GoldenFile.check(transaction.lines, "cluster-create-nat.txt")
    }

    @Test func createTransactionOfAHostOnlyNetworkHandsOutNoRouterAndTheRouterAsDNS() throws {
        let network = try Self.plan("lab", mode: .hostOnly, ipv6: .off, dns: [])
        #expect(network.dnsServers == [network.gateway])
        #expect(network.gateways.isEmpty)
        let transaction = ClusterNetworkPlanner.createTransaction(network, readSwitches: [], publishing: nil)
        try GoldenFile.check(transaction.lines, "cluster-create-host-only.txt")
        #expect(!transaction.text.contains("\"router\",\"10."))
    }

    @Test func destroyTransactionDeletesTheNetworksRootRows() throws {
        try GoldenFile.check(ClusterNetworkPlanner.destroyTransaction(NetworkName("shop")).lines, "cluster-destroy.txt")
    }

    @Test func aSubnetTakenInNorthboundOrOnAGatewayIsNotChosen() throws {
        let first = try Self.plan("shop")
        let taken = try Self.plan("shop", switches: [Self.switchRow("vmnet-x", subnet: first.subnet.description)])
        #expect(taken.subnet != first.subnet)
        let ours = Self.switchRow("vmnet-y", subnet: "", ids: [ClusterNetwork.Key.subnet: first.subnet.description])
        #expect(try Self.plan("shop", switches: [ours]).subnet != first.subnet)
        let published = PublishedClaims.claims(first.subnet.description + " junk", chassis: "h2")
        #expect(published.count == 1)
        #expect(try Self.plan("shop", published: published).subnet != first.subnet)
        let sixTaken = OVSDBRow(["name": .string("vmnet-z"), "other_config": .map(["ipv6_prefix": first.subnet6!.network.description])])
        #expect(try Self.plan("shop", switches: [sixTaken]).subnet6 != first.subnet6)
    }

    /// Two hosts that read the same northbound database pick the same subnet; the loser's
    /// transaction must then fail as a whole: its wait names exactly the rows it read.
    @Test func twoCreatorsReadingTheSameNorthboundRaceOnTheWait() throws {
        let read = [Self.switchRow("vmnet-a", subnet: "10.140.1.0/24")]
        let one = try Self.plan("alpha", switches: read)
        let other = try ClusterNetworkPlanner.network(
            for: ClusterCreateRequest(name: NetworkName("beta"), subnet: one.subnet), profile: Self.profile(.nat), switches: read, published: [],
            host: HostSnapshot(), localNetworks: [], uniqueLocal: Self.uniqueLocal, underlayMTU: 1500, dnsServers: [], gateways: ["h2"],
            created: "2026-12-04T07:00:00Z")
        #expect(other.subnet == one.subnet)
        for network in [one, other] {
            let operations = ClusterNetworkPlanner.createTransaction(network, readSwitches: read, publishing: nil).operations
            guard case .wait(let table, let conditions, let columns, let rows) = operations.first else {
                Issue.record("the first operation is not a wait")
                return
            }
            #expect(table == "Logical_Switch" && conditions.isEmpty && columns == ["name", "other_config"])
            #expect(rows == [["name": .string("vmnet-a"), "other_config": .map(["subnet": "10.140.1.0/24"])]])
        }
        // After the winner's insert the loser's wait no longer holds: the table has one more row.
        let winner = OVSDBRow(["name": .string("vmnet-alpha"), "other_config": .map(["subnet": one.subnet.description])])
        let loserWait = ClusterNetworkPlanner.createTransaction(other, readSwitches: read, publishing: nil).operations[0]
        let afterWinner = (read + [winner]).map { $0.columns.filter { ["name", "other_config"].contains($0.key) } }
        guard case .wait(_, _, _, let expected) = loserWait else { return }
        #expect(expected != afterWinner)
    }

    @Test func dnsServersSkipLoopbacksAndHostOnlyGetsNone() {
        let servers = [IPv4Address("127.0.0.53")!, IPv4Address("192.0.2.53")!, IPv4Address("192.0.2.53")!]
        #expect(ClusterNetworkPlanner.dnsServers(mode: .nat, upstream: .auto, nameservers: servers, resolvedUpstreams: [],
                                                 resolvedStubListening: false) == [IPv4Address("192.0.2.53")!])
        #expect(ClusterNetworkPlanner.dnsServers(mode: .nat, upstream: .auto, nameservers: servers, resolvedUpstreams: [IPv4Address("203.0.113.1")!],
                                                 resolvedStubListening: true) == [IPv4Address("203.0.113.1")!])
        #expect(ClusterNetworkPlanner.dnsServers(mode: .hostOnly, upstream: .auto, nameservers: servers, resolvedUpstreams: [],
                                                 resolvedStubListening: false).isEmpty)
    }

    @Test func aRepeatedCreateWithOtherOptionsIsAConflict() throws {
        let network = try Self.plan("shop")
        #expect(ClusterNetworkPlanner.mismatch(ClusterCreateRequest(name: network.name), existing: network) == nil)
        #expect(ClusterNetworkPlanner.mismatch(ClusterCreateRequest(name: network.name, profile: "ovn-host-only"), existing: network) != nil)
        #expect(ClusterNetworkPlanner.mismatch(ClusterCreateRequest(name: network.name, gateways: ["h2"]), existing: network) != nil)
    }

    @Test func leaseTimesInSeconds() {
        #expect(ClusterNetworkPlanner.leaseSeconds("1h") == 3600)
        #expect(ClusterNetworkPlanner.leaseSeconds("90m") == 5400)
        #expect(ClusterNetworkPlanner.leaseSeconds("600") == 600)
        #expect(ClusterNetworkPlanner.leaseSeconds("infinite") == 4_294_967_295)
    }

    @Test func publishedClaimsLeaveOutTheClusterPortsOwnSubnets() {
        let host = HostSnapshot(
            addresses: [InterfaceAddress(interface: "eth0", address: IPv4Address("192.0.2.10")!, prefixLength: 24),
                        InterfaceAddress(interface: "vmh-0123456789a", address: IPv4Address("10.140.3.2")!, prefixLength: 24)],
            interfaces: ["eth0", "vmh-0123456789a"])
        #expect(PublishedClaims.text(host: host, networks: []) == "192.0.2.0/24")
    }
}
