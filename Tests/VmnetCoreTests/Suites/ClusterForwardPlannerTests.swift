import Testing
import VmnetCore

/// Forwards on cluster networks: one Load_Balancer per forward on the network's router, and
/// the DNATs a gateway host owes them.
@Suite struct ClusterForwardPlannerTests {
    static func network(_ name: String = "shop", mode: NetworkMode = .nat, gateways: [String] = ["h2", "h1"]) throws -> ClusterNetwork {
        try ClusterGatewayPlannerTests.network(name, mode: mode, gateways: gateways)
    }

    static let routerPort = OVSDBRow(["networks": .strings(["100.64.3.2/24"])])
    static let dns = OVSDBRow(["records": .map(["vm1.shop.vmnet": "10.140.7.20", "20.7.140.10.in-addr.arpa": "vm1.shop.vmnet"])])
    static func balancer(_ uuid: String, network: String, key: String, target: String, vip: String, backend: String) -> OVSDBRow {
        OVSDBRow(["_uuid": .uuid(uuid), "name": .string("vmnet-\(network)-forward-\(key.replacingOccurrences(of: "/", with: "-"))"),
                  "vips": .map([vip: backend]),
                  "external_ids": .map(OVNOwnership.marks(network: network, [ClusterForward.Key.forward: key, ClusterForward.Key.target: target]))])
    }
    static let webForward = balancer("lb-web", network: "web", key: "udp/5353", target: "10.140.9.5", vip: "100.64.3.3:5353", backend: "10.140.9.5:53")

    static func rows(_ balancers: [OVSDBRow] = [webForward]) -> [[OVSDBRow]] { [balancers, [routerPort], [dns]] }

    @Test func aForwardIsALoadBalancerOnTheRouter() throws {
        let forward = try PortForward.parse(ports: "8080", target: "vm1:80")
        let (planned, transaction) = try ClusterForwardPlanner.add(forward, on: Self.network(), rows: Self.rows())
        #expect(planned.vip == "100.64.3.2:8080" && planned.backend == "10.140.7.20:80")
        try GoldenFile.check(try #require(transaction).lines, "cluster-forward-add.txt")
    }

    @Test func aForwardReadsBackFromItsRow() throws {
        let forward = try PortForward.parse(ports: "8080/tcp", target: "vm1:80")
        let (planned, _) = try ClusterForwardPlanner.add(forward, on: Self.network(), rows: Self.rows())
        var row = OVSDBRow(planned.row)
        row.columns["_uuid"] = .uuid("lb-shop")
        let read = try #require(ClusterForward(balancerRow: row))
        #expect(read.forward == forward && read.targetIP == planned.targetIP && read.routerAddress == planned.routerAddress && read.uuid == "lb-shop")
        // Adding it again changes nothing.
        let (again, none) = try ClusterForwardPlanner.add(forward, on: Self.network(), rows: Self.rows([Self.webForward, row]))
        #expect(none == nil && again.uuid == "lb-shop")
    }

    @Test func aTakenPortUnknownTargetOrHostOnlyNetworkIsRefused() throws {
        let codes: [(String, String, ClusterNetwork, VmnetError.Code)] = [
            ("5353/udp", "vm1", try Self.network(), .conflict),
            ("8080", "nobody", try Self.network(), .notFound),
            ("8080", "10.140.8.9", try Self.network(), .conflict),
            ("8080", "vm1", try Self.network(mode: .hostOnly, gateways: []), .invalidInput),
            ("8080-8081", "vm1", try Self.network(), .invalidInput),
            ("198.51.100.12:8080", "vm1", try Self.network(), .invalidInput),
        ]
        for (ports, target, network, code) in codes {
            let forward = try PortForward.parse(ports: ports, target: target)
            do {
                _ = try ClusterForwardPlanner.add(forward, on: network, rows: Self.rows())
                Issue.record("expected \(code) for \(ports) \(target)")
            } catch {
                #expect(error.code == code, "\(ports) \(target): \(error)")
            }
        }
    }

    @Test func removingTakesTheRowOffTheRouter() throws {
        let (removed, transaction) = try ClusterForwardPlanner.remove("5353", on: NetworkName("web"), rows: [Self.webForward])
        #expect(removed.map(\.key) == ["udp/5353"])
        try GoldenFile.check(transaction.lines, "cluster-forward-remove.txt")
        #expect(throws: VmnetError.self) { try ClusterForwardPlanner.remove("5353/tcp", on: NetworkName("web"), rows: [Self.webForward]) }
        #expect(throws: VmnetError.self) { try ClusterForwardPlanner.remove("5353", on: NetworkName("shop"), rows: [Self.webForward]) }
    }

    @Test func aGatewayDNATsTheForwardsOfTheNetworksItServes() throws {
        let shopForward = Self.balancer("lb-shop", network: "shop", key: "tcp/8080", target: "vm1", vip: "100.64.3.2:8080", backend: "10.140.7.20:80")
        let networks = [try Self.network("shop", gateways: ["h2", "h1"]), try Self.network("web", gateways: ["h1"])]
        let balancers = [Self.webForward, shopForward]
        #expect(ClusterForwardPlanner.gatewayForwards(balancers, networks: networks, chassis: "h2") == [
            .init(proto: .tcp, address: nil, port: 8080, endPort: 8080, routerAddress: IPv4Address("100.64.3.2")!),
        ])
        #expect(ClusterForwardPlanner.gatewayForwards(balancers, networks: networks, chassis: "h1").count == 2)
        #expect(ClusterForwardPlanner.gatewayForwards(balancers, networks: networks, chassis: "h3").isEmpty)
    }

    @Test func doctorNamesAForwardTheGatewayLacks() throws {
        let forward = ClusterGatewayRuleset.Forward(proto: .tcp, address: nil, port: 8080, endPort: 8080, routerAddress: IPv4Address("100.64.3.2")!)
        let ruleset = ClusterGatewayRuleset(transit: ClusterTransit(subnet: IPv4Subnet("100.64.3.0/24")!), forwards: [forward])
        #expect(OVNDiagnosis.forwards([forward], listing: ruleset.text).status == .ok)
        let missing = OVNDiagnosis.forwards([forward], listing: nil)
        #expect(missing.status == .fail && missing.detail.contains("8080/tcp to 100.64.3.2") && missing.fix?.contains("vmnet up") == true)
        #expect(OVNDiagnosis.forwards([], listing: nil).status == .ok)
    }
}
