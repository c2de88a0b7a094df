import JSON
import Testing
import VmnetCore

/// The CNI plugin's decisions for cluster networks: what it reads from podman, which port and
/// names it asks NB for, the veth it makes, what it answers.
@Suite struct CNIPluginPlanTests {
    static let web = ClusterNetwork(
        name: try! NetworkName("web"), profile: "ovn-nat", mode: .nat, subnet: IPv4Subnet("10.150.3.0/24")!, subnet6: nil,
        planOffsets: .proportional(prefixLength: 24), mtu: 1442, leaseTime: "1h", dnsServers: [IPv4Address("192.0.2.53")!],
        gateways: ["h1"], created: "2026-01-02T03:04:05Z")
    static let containerID = "3f1b9c0d2e4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344"
    static let switchUUID = "11111111-0000-0000-0000-000000000001"

    /// The switch holds `ports`; a port of another switch holds an address of the range too.
    static func snapshot(ports: [OVSDBRow] = [], records: [String: String]? = [:]) -> ContainerPortPlanner.Snapshot {
        let switchRow = OVSDBRow(["_uuid": .uuid(switchUUID), "name": .string("vmnet-web"),
                                  "ports": .set(ports.compactMap(\.uuid).map { .uuid($0) }), "external_ids": .map(web.externalIDs)])
        let elsewhere = lsp("99999999-0000-0000-0000-000000000009", "other", "02:00:00:00:00:09 10.150.3.66")
        return ContainerPortPlanner.Snapshot(rows: [[switchRow], ports + [elsewhere], records.map { [OVSDBRow(["records": .map($0)])] } ?? []])!
    }

    static func lsp(_ uuid: String, _ name: String, _ addresses: String, _ ids: [String: String] = [:]) -> OVSDBRow {
        OVSDBRow(["_uuid": .uuid(uuid), "name": .string(name), "addresses": .strings([addresses]), "external_ids": .map(ids)])
    }

    @Test func theConflistNamesThePluginAndWhereVmnetKeepsItsState() throws {
        let config = CNINetworkConfig(network: try NetworkName("web"), stateDirectory: "/var/lib/vmnet", configDirectory: "/etc/vmnet",
                                      localSwitch: "unix:/run/openvswitch/db.sock")
        try GoldenFile.check(config.conflist, "cni-cluster.conflist")
        #expect(CNINetworkConfig.isOurs(config.conflist, network: try NetworkName("web")))
        #expect(!CNINetworkConfig.isOurs(config.conflist, network: try NetworkName("lab")))
        #expect(!CNINetworkConfig.isOurs(#"{"plugins":[{"type":"bridge"}]}"#, network: try NetworkName("web")))
    }

    @Test func aRequestIsReadFromPodmansEnvironment() throws {
        let config = CNINetworkConfig(network: try NetworkName("web"), stateDirectory: "/s", configDirectory: "/c", localSwitch: "unix:/o/db.sock")
        let plugin = try #require(try JSONCodec.parse(config.conflist, source: "t")["plugins"]?.arrayValue?.first)
        var netconf = plugin.objectValue!
        netconf["cniVersion"] = "1.0.0"
        netconf["name"] = "web"
        let environment = ["CNI_COMMAND": "ADD", "CNI_CONTAINERID": Self.containerID, "CNI_NETNS": "/run/netns/netns-1",
                           "CNI_IFNAME": "eth0", "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAME=db1"]
        let request = try CNIRequest(environment: environment, netconf: JSONCodec.serialize(.object(netconf)))
        #expect(request.command == .add)
        #expect(request.containerName == "db1")
        #expect(request.config == CNINetworkConfig(network: try NetworkName("web"), stateDirectory: "/s", configDirectory: "/c", localSwitch: "unix:/o/db.sock"))
        // VERSION gets only the version.
        let version = try CNIRequest(environment: ["CNI_COMMAND": "VERSION"], netconf: #"{"cniVersion":"0.4.0"}"#)
        #expect(version.config == nil && version.cniVersion == "0.4.0")
        // A DEL after the container died has no namespace, and is still done.
        let delete = try CNIRequest(environment: ["CNI_COMMAND": "DEL", "CNI_CONTAINERID": Self.containerID], netconf: JSONCodec.serialize(.object(netconf)))
        #expect(delete.networkNamespace.isEmpty)
    }

    @Test func badRequestsAreInvalidInput() throws {
        let netconf = #"{"cniVersion":"1.0.0","name":"web","type":"vmnet-ovn","network":"web","stateDir":"/s","configDir":"/c","ovsdb":"unix:/o"}"#
        let add = ["CNI_COMMAND": "ADD", "CNI_CONTAINERID": Self.containerID, "CNI_NETNS": "/run/netns/x", "CNI_IFNAME": "eth0"]
        for (environment, text) in [
            (["CNI_COMMAND": "RUN"], netconf),
            (add, "{"),
            (add, netconf.replacingOccurrences(of: #""network":"web""#, with: #""network":"Bad Name""#)),
            (add, netconf.replacingOccurrences(of: "1.0.0", with: "9.9.9")),
            (add.merging(["CNI_IFNAME": "a/b"]) { $1 }, netconf),
            (add.merging(["CNI_NETNS": ""]) { $1 }, netconf),
            (add.merging(["CNI_CONTAINERID": "x;y"]) { $1 }, netconf),
        ] {
            #expect(throws: VmnetError.self) { try CNIRequest(environment: environment, netconf: text) }
            do { _ = try CNIRequest(environment: environment, netconf: text) } catch { #expect(error.code == .invalidInput) }
        }
    }

    @Test func addTakesTheFirstFreeContainerAddressAndWaitsOnTheSwitchsPorts() throws {
        // .64 is taken by a port vmnet did not make, .65 by another container: neither is
        // handed out twice; .66 on another switch does not count.
        let foreign = Self.lsp("22222222-0000-0000-0000-000000000001", "by-hand", "02:00:00:00:00:40 10.150.3.64")
        let taken = Self.lsp("22222222-0000-0000-0000-000000000002", "vmnet-web-c-aaaaaaaaaaaa", "02:00:00:00:00:41 10.150.3.65",
                             OVNOwnership.marks(network: "web", [ContainerPort.Key.container: "aaaaaaaaaaaa"]))
        let (port, operations) = try ContainerPortPlanner.add(Self.snapshot(ports: [foreign, taken]), containerID: Self.containerID, containerName: "db1", chassis: "h2")
        #expect(port.address == IPv4Address("10.150.3.66"))
        #expect(port.name == "vmnet-web-c-3f1b9c0d2e4a")
        #expect(port.hostInterface.count == 15 && port.hostInterface.hasPrefix("vmc-"))
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.northbound, operations).lines, "container-port-add.ovsdb")
    }

    @Test func addAgainReusesThePortAndDeleteRemovesPortAndNames() throws {
        let (port, _) = try ContainerPortPlanner.add(Self.snapshot(), containerID: Self.containerID, containerName: "db1", chassis: "h2")
        let row = Self.lsp("33333333-0000-0000-0000-000000000003", port.name, port.addressEntry,
                           OVNOwnership.marks(network: "web", [ContainerPort.Key.container: Self.containerID, ContainerPort.Key.hostName: "db1.web.vmnet"]))
        let snapshot = Self.snapshot(ports: [row], records: port.dnsRecords)
        let again = try ContainerPortPlanner.add(snapshot, containerID: Self.containerID, containerName: "db1", chassis: "h2")
        #expect(again.port == port)
        #expect(!again.operations.contains { if case .insert = $0 { return true } else { return false } })
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.northbound, ContainerPortPlanner.delete(snapshot, containerID: Self.containerID)).lines,
                             "container-port-delete.ovsdb")
        #expect(ContainerPortPlanner.delete(Self.snapshot(), containerID: Self.containerID).isEmpty)
    }

    @Test func namesAreDNSLabelsAndNeverTakenFromAnother() throws {
        #expect(ContainerPort.hostName("Web_1", network: try NetworkName("web")) == nil)
        #expect(ContainerPort.hostName("Db-1", network: try NetworkName("web")) == "db-1.web.vmnet")
        #expect(ContainerPort.reverseName(IPv4Address("10.150.3.66")!) == "66.3.150.10.in-addr.arpa")
        let snapshot = Self.snapshot(records: ["db1.web.vmnet": "10.150.3.9"])
        #expect(throws: VmnetError.conflict("attaching container 3f1b9c0d2e4a to 'web': the name db1.web.vmnet already points at 10.150.3.9: give the container another --name")) {
            try ContainerPortPlanner.add(snapshot, containerID: Self.containerID, containerName: "db1", chassis: nil)
        }
    }

    @Test func aFullRangeIsExhausted() throws {
        let range = Self.web.plan.containers
        let ports = (range.start.value...range.end.value).enumerated().map { index, value in
            Self.lsp(String(format: "44444444-0000-0000-0000-%012d", index), "p\(index)", "02:00:00:00:00:01 \(IPv4Address(value))")
        }
        do {
            _ = try ContainerPortPlanner.add(Self.snapshot(ports: ports), containerID: Self.containerID, containerName: nil, chassis: nil)
            Issue.record("expected exhausted")
        } catch { #expect(error.code == .exhausted) }
    }

    @Test func theVethAndTheResultSpeakTheCallersVersion() throws {
        let (port, _) = try ContainerPortPlanner.add(Self.snapshot(), containerID: Self.containerID, containerName: "db1", chassis: "h2")
        let links = ContainerLinks(port: port, interfaceName: "eth0", mtu: 1442, gateway: Self.web.gateway)
        try GoldenFile.check(links.containerBatch(hostProcess: 4242) + links.hostBatch, "container-links.batch")
        let result = CNIResult(links: links, networkNamespace: "/run/netns/netns-1", nameservers: Self.web.dnsServers, domain: Self.web.domain)
        try GoldenFile.check(JSONCodec.serialize(result.json(version: "1.0.0")), "cni-result.json")
        try GoldenFile.check(JSONCodec.serialize(result.json(version: "0.4.0")), "cni-result-0.4.0.json")
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.openVSwitch, ContainerPortPlanner.plug(port)).lines, "container-port-plug.ovsdb")
        let hostOnly = ContainerLinks(port: port, interfaceName: "eth0", mtu: 1442, gateway: nil)
        #expect(!hostOnly.containerBatch(hostProcess: 1).contains("route"))
        #expect(JSONCodec.serialize(CNIResult.error(.notFound("x"), version: "1.0.0"), compact: true) == #"{"cniVersion":"1.0.0","code":103,"msg":"x"}"#)
    }
}
