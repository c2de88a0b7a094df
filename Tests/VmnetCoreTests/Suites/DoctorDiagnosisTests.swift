import JSON
import Testing
import VmnetCore

/// Doctor's verdicts from observed values: a healthy network, then each part broken alone.
@Suite struct DoctorDiagnosisTests {
    static let web = Fixtures.web
    static let gateway = IPv4Address("10.140.7.1")!
    static let wildcard = IPv4Address(0)

    static func nftState(_ networks: [NetworkRecord]) -> NftTableState {
        var elements: [String: Set<String>] = [:]
        for (set, members) in NftRuleset.elements(networks, allBridges: []) { elements[set.rawValue] = members }
        return NftTableState(ruleCounts: NftCompleteness.expectedRuleCounts(like: web), elements: elements)
    }

    static func healthyHost() -> HostObservation {
        HostObservation(
            host: HostSnapshot(addresses: [InterfaceAddress(interface: "vmn-web", address: gateway, prefixLength: 24),
                                           InterfaceAddress(interface: "eth0", address: IPv4Address("192.0.2.10")!, prefixLength: 24)]),
            sockets: [SocketEntry(proto: .udp, address: gateway, port: 53, state: 7, inode: 11),
                      SocketEntry(proto: .tcp, address: gateway, port: 53, state: 0x0A, inode: 12),
                      SocketEntry(proto: .udp, address: wildcard, port: 67, state: 7, inode: 13)],
            dnsmasqSockets: [web.name: [11, 12, 13]],
            ipForwarding: true,
            nftTable: nftState([web]))
    }

    static func directory(_ path: String, mode: UInt32 = 0o755) -> FileAccess {
        FileAccess(path: path, owner: 0, group: 0, mode: mode, isDirectory: true)
    }

    static func healthyNetwork() -> NetworkObservation {
        let chain: (String) -> [FileAccess?] = { file in
            [directory("/var"), directory("/var/lib"), directory("/var/lib/vmnet"), FileAccess(path: file, owner: 0, group: 0, mode: 0o644, isDirectory: false)]
        }
        return NetworkObservation(
            bridgePresent: true, bridgeUp: true, ports: [BridgeNamer.keeperPort(for: "vmn-web").port, "vnet0"], pidFilePid: 42, dnsmasqRunning: true,
            hostListPaths: [chain("/var/lib/vmnet/dhcp-hosts"), chain("/var/lib/vmnet/addn-hosts")])
    }

    func verdicts(_ network: NetworkObservation = healthyNetwork(), _ host: HostObservation = healthyHost(), record: NetworkRecord = web) -> [String: DoctorFinding] {
        let findings = NetworkDiagnosis.findings(for: record, observed: network, host: host, networks: [record])
        return Dictionary(findings.map { ($0.check, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func failing(_ network: NetworkObservation = healthyNetwork(), _ host: HostObservation = healthyHost(), record: NetworkRecord = web) -> [DoctorFinding] {
        NetworkDiagnosis.findings(for: record, observed: network, host: host, networks: [record]).filter { $0.status != .ok }
    }

    @Test func aHealthyNetworkIsAllOk() {
        let findings = NetworkDiagnosis.findings(for: Self.web, observed: Self.healthyNetwork(), host: Self.healthyHost(), networks: [Self.web])
        #expect(findings.allSatisfy { $0.status == .ok && $0.fix == nil && $0.network == "web" }, "\(findings.filter { $0.status != .ok })")
        // An IPv4-only network has every check but the IPv6 gateway's and IPv6 forwarding.
        #expect(findings.map(\.check) == NetworkDiagnosis.Check.allCases.map(\.rawValue).filter { !["gateway6-address", "ip6-forward"].contains($0) })
        #expect(verdicts()["ports"]?.detail.contains("vnet0") == true)
    }

    @Test func aMissingBridgeFailsAndSkipsItsParts() {
        var network = Self.healthyNetwork()
        network.bridgePresent = false
        let found = verdicts(network)
        #expect(found["bridge"]?.status == .fail)
        #expect(found["bridge"]?.fix == "vmnet up web")
        #expect(found["bridge-up"] == nil && found["gateway-address"] == nil)
    }

    @Test func aBridgeSetDownOrWithoutItsGatewayFails() {
        var network = Self.healthyNetwork()
        network.bridgeUp = false
        #expect(failing(network).map(\.check) == ["bridge-up"])
        var host = Self.healthyHost()
        host.host.addresses.removeAll { $0.interface == "vmn-web" }
        #expect(failing(Self.healthyNetwork(), host).map(\.check) == ["gateway-address"])
        #expect(verdicts(Self.healthyNetwork(), host)["gateway-address"]?.detail.contains("10.140.7.1/24") == true)
    }

    @Test func aMissingKeeperPortWarns() {
        var network = Self.healthyNetwork()
        network.ports = []
        #expect(failing(network).map(\.status) == [.warn])
    }

    @Test func dnsmasqStoppedOrSomeoneElsesFails() {
        var stopped = Self.healthyNetwork()
        stopped.dnsmasqRunning = false
        stopped.pidFilePid = nil
        #expect(verdicts(stopped)["dnsmasq"]?.detail == "dnsmasq is not running")
        var stranger = stopped
        stranger.pidFilePid = 4242
        #expect(verdicts(stranger)["dnsmasq"]?.detail.contains("pid 4242") == true)
        #expect(verdicts(stopped)["dnsmasq-listening"] == nil)
    }

    @Test func dnsmasqNotListeningFails() {
        var host = Self.healthyHost()
        host.sockets.removeAll { $0.port == 67 }
        let finding = verdicts(Self.healthyNetwork(), host)["dnsmasq-listening"]
        #expect(finding?.status == .fail)
        #expect(finding?.detail.contains(":67/udp") == true)
    }

    @Test func unreadableHostListsFailWithTheFix() {
        var network = Self.healthyNetwork()
        network.hostListPaths[0][3] = FileAccess(path: "/var/lib/vmnet/dhcp-hosts", owner: 0, group: 0, mode: 0o600, isDirectory: false)
        network.hostListPaths[1][2] = Self.directory("/var/lib/vmnet", mode: 0o700)
        let finding = verdicts(network)["dnsmasq-files"]
        #expect(finding?.status == .fail)
        #expect(finding?.detail.contains("nobody cannot read /var/lib/vmnet/dhcp-hosts (mode 0600") == true)
        #expect(finding?.fix == "chmod o+r /var/lib/vmnet/dhcp-hosts; chmod o+x /var/lib/vmnet")
    }

    @Test func aForeignWildcardListenerFailsAndVmnetsOwnDoNot() {
        var host = Self.healthyHost()
        // Another vmnet network's dnsmasq holds its own 0.0.0.0:67 (bound to its bridge).
        host.sockets.append(SocketEntry(proto: .udp, address: Self.wildcard, port: 67, state: 7, inode: 21))
        host.dnsmasqSockets?[try! NetworkName("other")] = [21]
        #expect(failing(Self.healthyNetwork(), host).isEmpty)
        host.sockets.append(SocketEntry(proto: .udp, address: Self.wildcard, port: 67, state: 7, inode: 99))
        host.socketOwners = [99: "python3, pid 7"]
        let finding = verdicts(Self.healthyNetwork(), host)["foreign-dhcp-dns"]
        #expect(finding?.status == .fail)
        #expect(finding?.detail.contains("0.0.0.0:67/udp is held by python3, pid 7") == true)
        host.seesAllSockets = false
        #expect(verdicts(Self.healthyNetwork(), host)["foreign-dhcp-dns"]?.status == .warn)
    }

    @Test func withoutOwnershipSocketsAreJudgedByAddressAndCount() {
        // `list` and `show` do not read dnsmasq's descriptors.
        var host = Self.healthyHost()
        host.dnsmasqSockets = nil
        host.runningDnsmasqs = 1
        #expect(failing(Self.healthyNetwork(), host).isEmpty)
        host.sockets.append(SocketEntry(proto: .udp, address: Self.wildcard, port: 67, state: 7, inode: 99))
        #expect(failing(Self.healthyNetwork(), host).map(\.check) == ["foreign-dhcp-dns"])
        host.runningDnsmasqs = 2
        #expect(failing(Self.healthyNetwork(), host).isEmpty)
        host.sockets.append(SocketEntry(proto: .tcp, address: Self.wildcard, port: 53, state: 0x0A, inode: 98))
        #expect(failing(Self.healthyNetwork(), host).map(\.check) == ["foreign-dhcp-dns"])
        host.sockets.removeAll { $0.port == 53 }
        #expect(Set(failing(Self.healthyNetwork(), host).map(\.check)) == ["dnsmasq-listening"])
    }

    @Test func aFlushedOrMissingTableOrAMissingElementFails() {
        var host = Self.healthyHost()
        host.nftTable = nil
        #expect(verdicts(Self.healthyNetwork(), host)["firewall"]?.detail == "nftables: table inet vmnet is missing")
        host.nftTable = Self.nftState([Self.web])
        for chain in host.nftTable!.ruleCounts.keys { host.nftTable!.ruleCounts[chain] = 0 }
        #expect(verdicts(Self.healthyNetwork(), host)["firewall"]?.detail.contains("chain forward has 0 of") == true)
        host.nftTable = Self.nftState([Self.web])
        host.nftTable!.elements["nat_bridges"] = []
        let finding = verdicts(Self.healthyNetwork(), host)["firewall"]
        #expect(finding?.status == .fail)
        #expect(finding?.detail == "nftables: set nat_bridges lacks \"vmn-web\"")
    }

    @Test func iptablesNetworksNeedTheirJumpsAndRules() {
        let record = Fixtures.network("old", subnet: "10.140.8.0/24", firewall: .iptables)
        var host = Self.healthyHost()
        host.host.addresses = [InterfaceAddress(interface: "vmn-old", address: IPv4Address("10.140.8.1")!, prefixLength: 24)]
        host.sockets = [SocketEntry(proto: .udp, address: IPv4Address("10.140.8.1")!, port: 53, state: 7, inode: 11),
                        SocketEntry(proto: .tcp, address: IPv4Address("10.140.8.1")!, port: 53, state: 0x0A, inode: 12),
                        SocketEntry(proto: .udp, address: Self.wildcard, port: 67, state: 7, inode: 13)]
        host.dnsmasqSockets = [record.name: [11, 12, 13]]
        var network = Self.healthyNetwork()
        network.ports = [BridgeNamer.keeperPort(for: "vmn-old").port]
        host.iptablesSave = """
            *mangle
            -A POSTROUTING -j VMNET-POSTROUTING
            COMMIT
            *nat
            -A PREROUTING -j VMNET-PREROUTING
            -A OUTPUT -j VMNET-OUTPUT
            -A POSTROUTING -j VMNET-POSTROUTING
            -A VMNET-POSTROUTING -s 10.140.8.0/24 ! -d 10.140.8.0/24 -j MASQUERADE
            COMMIT
            *filter
            -A INPUT -j VMNET-INPUT
            -A FORWARD -j VMNET-FORWARD
            -A VMNET-INPUT -i vmn-old -p udp -m udp --dport 67 -j ACCEPT
            -A VMNET-FORWARD -i vmn-old -o vmn-old -j ACCEPT
            COMMIT
            """
        #expect(failing(network, host, record: record).isEmpty, "\(failing(network, host, record: record))")
        host.iptablesSave = host.iptablesSave!.split(separator: "\n").filter { $0 != "-A FORWARD -j VMNET-FORWARD" }.joined(separator: "\n")
        #expect(verdicts(network, host, record: record)["firewall"]?.detail == "iptables: missing the jump from filter FORWARD to VMNET-FORWARD")
    }

    @Test func forwardingOffFailsForNatOnly() {
        var host = Self.healthyHost()
        host.ipForwarding = false
        #expect(failing(Self.healthyNetwork(), host).map(\.check) == ["ip-forward"])
        let lab = Fixtures.network("lab", subnet: "10.140.7.0/24", mode: .hostOnly, bridge: "vmn-web")
        #expect(verdicts(Self.healthyNetwork(), host, record: lab)["ip-forward"] == nil)
    }

    @Test func anAddressOrRouteInsideTheSubnetFails() {
        var host = Self.healthyHost()
        host.host.addresses.append(InterfaceAddress(interface: "eth9", address: IPv4Address("10.140.7.77")!, prefixLength: 24))
        let finding = verdicts(Self.healthyNetwork(), host)["subnet"]
        #expect(finding?.status == .fail)
        #expect(finding?.detail == "10.140.7.0/24 collides with address 10.140.7.77/24 on eth9")
        // The bridge's own routes are the network itself.
        var own = Self.healthyHost()
        own.host.routes = [HostRoute(destination: IPv4Subnet("10.140.7.0/24")!, device: "vmn-web", type: "unicast")]
        #expect(verdicts(Self.healthyNetwork(), own)["subnet"]?.status == .ok)
        own.host.routes.append(HostRoute(destination: IPv4Subnet("10.140.0.0/16")!, device: "wg0"))
        #expect(verdicts(Self.healthyNetwork(), own)["subnet"]?.detail.contains("route 10.140.0.0/16 dev wg0") == true)
    }

    @Test func aDeletedRuntimeFileFailsWithTheReinstall() {
        var network = Self.healthyNetwork()
        network.runtimeFiles = [(.podman, "/etc/containers/networks/web.json", false), (.cni, "/etc/cni/net.d/web.conflist", true)]
        let finding = verdicts(network)["runtime-files"]
        #expect(finding?.status == .fail)
        #expect(finding?.detail == "podman file /etc/containers/networks/web.json is gone")
        #expect(finding?.fix == "vmnet install web --podman")
    }

    @Test func aDownNetworkIsOkUnlessSomethingIsLeftOver() {
        var record = Self.web
        record.enabled = false
        var network = Self.healthyNetwork()
        network.bridgePresent = false
        network.dnsmasqRunning = false
        #expect(failing(network, Self.healthyHost(), record: record).isEmpty)
        network.bridgePresent = true
        #expect(failing(network, Self.healthyHost(), record: record).map(\.check) == ["bridge"])
    }

    @Test func aFailingCheckMakesTheStatusDegradedWithTheReason() {
        var host = Self.healthyHost()
        host.ipForwarding = false
        let findings = NetworkDiagnosis.findings(for: Self.web, observed: Self.healthyNetwork(), host: host, networks: [Self.web])
        let status = NetworkStatus(record: Self.web, bridgePresent: true, dnsmasqPid: 42, firewallPresent: true, findings: findings)
        #expect(status.state == .degraded)
        #expect(status.problems == ["net.ipv4.ip_forward is 0: NAT traffic is not forwarded"])
        let healthy = NetworkDiagnosis.findings(for: Self.web, observed: Self.healthyNetwork(), host: Self.healthyHost(), networks: [Self.web])
        #expect(NetworkStatus(record: Self.web, bridgePresent: true, dnsmasqPid: 42, firewallPresent: true, findings: healthy).state == .up)
    }

    @Test func nftJSONAndTextListingsRead() throws {
        let text = """
            {"nftables": [{"metainfo": {"version": "1.0.6"}}, {"table": {"family": "inet", "name": "vmnet", "handle": 1}},
             {"set": {"family": "inet", "name": "bridges", "table": "vmnet", "type": "ifname", "elem": ["vmn-a"]}},
             {"set": {"family": "inet", "name": "own_traffic", "table": "vmnet", "type": ["ifname", "ifname"], "elem": [{"concat": ["vmn-a", "vmn-a"]}]}},
             {"set": {"family": "inet", "name": "nat_subnets", "table": "vmnet", "type": "ipv4_addr", "elem": [{"prefix": {"addr": "10.140.5.0", "len": 24}}]}},
             {"set": {"family": "inet", "name": "isolated", "table": "vmnet", "type": "ifname"}},
             {"chain": {"family": "inet", "table": "vmnet", "name": "input", "hook": "input"}},
             {"chain": {"family": "inet", "table": "vmnet", "name": "postrouting", "hook": "postrouting"}},
             {"rule": {"family": "inet", "table": "vmnet", "chain": "input", "expr": []}},
             {"rule": {"family": "inet", "table": "vmnet", "chain": "input", "expr": []}}]}
            """
        let state = NftTableState(json: try JSONCodec.parse(text, source: "test"))
        #expect(state.ruleCounts == ["input": 2, "postrouting": 0])
        #expect(state.elements == ["bridges": ["\"vmn-a\""], "own_traffic": ["\"vmn-a\" . \"vmn-a\""], "nat_subnets": ["10.140.5.0/24"], "isolated": []])
        let listing = "table inet vmnet {\n\tset bridges {\n\t\ttype ifname\n\t}\n\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tiifname @bridges udp dport 67 accept\n\t}\n\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n"
        #expect(NftTableState.ruleCounts(listing: listing) == ["input": 1, "forward": 0])
        // The expectation follows NftRuleset: every chain it renders, each with rules.
        let expected = NftCompleteness.expectedRuleCounts(like: Self.web)
        #expect(Set(expected.keys) == ["input", "forward", "prerouting", "output", "postrouting"])
        #expect(expected.values.allSatisfy { $0 > 0 })
        #expect(NftCompleteness.rulesComplete(expected, like: Self.web))
        #expect(!NftCompleteness.rulesComplete(expected.mapValues { _ in 0 }, like: Self.web))
    }

    @Test func socketTablesRead() {
        let udp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             1: 01078C0A:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5011 2 0000000000000000 0
             2: 00000000:0043 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5012 2 0000000000000000 0
            """
        let sockets = SocketEntry.parse(udp, proto: .udp)
        #expect(sockets == [SocketEntry(proto: .udp, address: Self.gateway, port: 53, state: 7, inode: 5011),
                            SocketEntry(proto: .udp, address: Self.wildcard, port: 67, state: 7, inode: 5012)])
        #expect(sockets[1].isWildcard && sockets[1].isListening)
        #expect(!SocketEntry(proto: .tcp, address: Self.gateway, port: 53, state: 1, inode: 1).isListening)
    }

    @Test func reportsAsTextAndJSON() throws {
        let findings = [DoctorFinding.ok("web", "bridge", "vmn-web exists"),
                        DoctorFinding(network: "web", check: "ip-forward", status: .fail, detail: "off", fix: "vmnet up web")]
        #expect(DoctorReport.text(findings) == """
            web  fail  2 checks: 1 failed
              fail  ip-forward
                    off
                    fix: vmnet up web

            """)
        let json = DoctorReport.json(findings)
        #expect(json.arrayValue?[0]["fix"] == .null)
        #expect(json.arrayValue?[1]["status"]?.stringValue == "fail")
        #expect(Set(json.arrayValue?[0].objectValue?.members.map(\.key) ?? []) == ["network", "check", "status", "detail", "fix"])
        #expect(DoctorReport.exitStatus(findings) == 1)
        #expect(DoctorReport.exitStatus([findings[0]]) == 0)
    }
}

@Suite struct ProcNetRouteTests {
    @Test func mainTableRoutesRead() {
        let text = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            h-up\t00000000\t026433C6\t0003\t0\t0\t0\t00000000\t0\t0\t0
            vmn-web\t00078C0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """
        #expect(ProcNetRoute.routes(text) == [
            HostRoute(destination: IPv4Subnet("0.0.0.0/0")!, device: "h-up"),
            HostRoute(destination: IPv4Subnet("10.140.7.0/24")!, device: "vmn-web"),
        ])
    }
}
