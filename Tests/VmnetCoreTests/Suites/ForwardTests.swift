import JSON
import Testing
import VmnetCore

@Suite struct ForwardTests {
    let web = Fixtures.web
    let reservations = [HostReservation(name: "www", mac: MACAddress("52:54:00:00:00:01")!, ip: IPv4Address("10.140.7.10")!)]

    func forward(_ ports: String, _ target: String) throws -> PortForward { try PortForward.parse(ports: ports, target: target) }

    @Test func parsesPortsRangesAddressesAndProtocols() throws {
        let plain = try forward("8080", "www:80")
        #expect(plain.address == nil && plain.port == 8080 && plain.endPort == 8080 && plain.proto == .tcp && plain.target == "www" && plain.targetPort == 80)
        let full = try forward("198.51.100.1:5000-5010/udp", "10.140.7.20")
        #expect(full.address == IPv4Address("198.51.100.1") && full.port == 5000 && full.endPort == 5010 && full.proto == .udp && full.targetPort == nil)
        #expect(full.hostSide == "198.51.100.1:5000-5010/udp")
        #expect(try forward("53/udp", "www").targetPort == nil)
    }

    @Test(arguments: [
        ("0", "www"), ("65536", "www"), ("80-70", "www"), ("80/sctp", "www"), ("x:80", "www"), ("80", ""), ("80", "www:0"),
        ("80", "www:http"), ("8000-8010", "www:9000"), ("127.0.0.1:80", "www"), ("0.0.0.0:80", "www"), ("80-", "www"), ("+80", "www"),
    ])
    func refusesBadInput(ports: String, target: String) {
        #expect(throws: VmnetError.self) { try forward(ports, target) }
        do { _ = try forward(ports, target) } catch let error as VmnetError { #expect(error.code == .invalidInput && !error.message.contains("\n")) } catch {}
    }

    @Test func addRefusesOverlapsOutsideTargetsListenersAndHostOnly() throws {
        let existing = [try forward("8000-8010", "www")]
        func add(_ forward: PortForward, network: NetworkRecord? = nil, listeners: [SocketEntry] = []) throws -> [PortForward] {
            try ForwardPlanner.add(forward, network: network ?? web, existing: existing, reservations: reservations, listeners: listeners)
        }
        func code(_ body: () throws -> [PortForward]) -> VmnetError.Code? {
            do { _ = try body(); return nil } catch { return (error as? VmnetError)?.code }
        }
        #expect(code { try add(try forward("8005", "www")) } == .conflict)
        #expect(code { try add(try forward("198.51.100.1:8010", "www")) } == .conflict)
        #expect(code { try add(try forward("8005/udp", "www")) } == nil)
        #expect(code { try add(try forward("9000", "10.140.8.5")) } == .conflict)
        #expect(code { try add(try forward("9000", "10.140.7.1")) } == .conflict)
        #expect(code { try add(try forward("9000", "nobody")) } == .notFound)
        #expect(code { try add(try forward("9000", "www"), network: Fixtures.lab) } == .conflict)
        let listener = SocketEntry(proto: .tcp, address: IPv4Address(0), port: 9000, state: 0x0A, inode: 1)
        #expect(code { try add(try forward("9000", "www"), listeners: [listener]) } == .conflict)
        #expect(code { try add(try forward("9000/udp", "www"), listeners: [listener]) } == nil)
        let loopback = SocketEntry(proto: .tcp, address: IPv4Address("127.0.0.1")!, port: 9000, state: 0x0A, inode: 1)
        #expect(code { try add(try forward("9000", "www"), listeners: [loopback]) } == nil)
        // A host port goes to one network only.
        let elsewhere = [try NetworkName("open"): [try forward("9000-9001/udp", "10.140.11.5")]]
        #expect(code { try ForwardPlanner.add(try forward("9001/udp", "www"), network: web, existing: existing, reservations: reservations, listeners: [], elsewhere: elsewhere) } == .conflict)
        #expect(code { try ForwardPlanner.add(try forward("9001", "www"), network: web, existing: existing, reservations: reservations, listeners: [], elsewhere: elsewhere) } == nil)
        // Adding the same forward again changes nothing.
        #expect(try add(existing[0]) == existing)
    }

    @Test func dualStackListenersCountAsIPv4Ones() {
        let tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0000000000000000 100 0 0 10 0
               1: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 102 1 0000000000000000 100 0 0 10 0
               2: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 103 1 0000000000000000 100 0 0 10 0
            """
        let entries = SocketEntry.parseIPv6Table(tcp6, proto: .tcp)
        #expect(entries.map(\.port) == [8080, 80])
        #expect(entries.map(\.address) == [IPv4Address(0), IPv4Address("127.0.0.1")!])
        #expect(entries.map(\.inode) == [101, 102])
    }

    @Test func removeMatchesAddressPortAndProtocol() throws {
        let existing = [try forward("8080", "www:80"), try forward("8080/udp", "www"), try forward("198.51.100.1:8080", "www")]
        #expect(try ForwardPlanner.remove("8080/tcp", network: web, existing: existing).count == 2)
        #expect(try ForwardPlanner.remove("8080", network: web, existing: existing) == [existing[2]])
        #expect(throws: VmnetError.self) { try ForwardPlanner.remove("9090", network: web, existing: existing) }
    }

    @Test func reservationTargetsResolveToTheirCurrentAddress() throws {
        let forwards = [try forward("8080", "www:80"), try forward("9090", "gone")]
        let resolved = ForwardPlanner.resolve(forwards, network: web, reservations: reservations)
        #expect(resolved.map(\.targetIP) == [IPv4Address("10.140.7.10")!])
        let moved = [HostReservation(name: "www", mac: reservations[0].mac, ip: IPv4Address("10.140.7.11")!)]
        #expect(ForwardPlanner.resolve(forwards, network: web, reservations: moved).map(\.targetIP) == [IPv4Address("10.140.7.11")!])
    }

    @Test func fileRoundTripsAndIsReadStrictly() throws {
        let forwards = [try forward("8080", "www:80"), try forward("198.51.100.1:5000-5010/udp", "10.140.7.20")]
        let text = JSONCodec.serialize(ForwardsFile.encode(forwards))
        #expect(Set(try ForwardsFile.decode(text: text, file: "f")) == Set(forwards))
        for bad in [
            #"{"forwards": []}"#, #"{"version": 2, "forwards": []}"#, #"{"version": 1}"#, #"{"version": 1, "forwards": [], "x": 1}"#,
            #"{"version": 1, "forwards": [{"address": null, "port": 80, "end_port": 80, "protocol": "tcp", "target": "www"}]}"#,
            #"{"version": 1, "forwards": [{"address": null, "port": 80, "end_port": 80, "protocol": "icmp", "target": "www", "target_port": null}]}"#,
            #"{"version": 1, "forwards": [{"address": null, "port": 80, "end_port": 80, "protocol": "tcp", "target": "www", "target_port": null},"#
                + #" {"address": "198.51.100.1", "port": 80, "end_port": 80, "protocol": "tcp", "target": "www", "target_port": null}]}"#,
        ] {
            #expect(throws: VmnetError.self) { try ForwardsFile.decode(text: bad, file: "f") }
        }
    }

    var resolved: [ResolvedForward] {
        get throws {
            let forwards = [try forward("8080", "www:80"), try forward("198.51.100.1:5353/udp", "10.140.7.20:53"), try forward("9000-9010", "www")]
            return ForwardPlanner.resolve(forwards, network: web, reservations: reservations)
                + ForwardPlanner.resolve([try forward("7070", "10.140.9.5")], network: Fixtures.lab, reservations: [])
        }
    }

    @Test func nftWithForwards() throws {
        let networks = [web, Fixtures.lab]
        try GoldenFile.check(NftRuleset.table(networks, allBridges: networks.map(\.bridge), forwards: try resolved), "nft-forwards.nft")
    }

    @Test func nftUpdateMovesAForwardToItsNewTarget() throws {
        let before = try resolved
        let moved = [HostReservation(name: "www", mac: reservations[0].mac, ip: IPv4Address("10.140.7.11")!)]
        let after = ForwardPlanner.resolve([try forward("8080", "www:80"), try forward("9000-9010", "www")], network: web, reservations: moved)
        let text = NftRuleset.update([web], allBridges: [web.bridge], previous: [web], previousBridges: [web.bridge], touched: [],
                                     forwards: after, previousForwards: before)
        try GoldenFile.check(text, "nft-forwards-update.nft")
    }

    @Test func iptablesWithForwards() throws {
        let networks = [web, Fixtures.lab, Fixtures.open]
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv4Address.self, networks, allBridges: networks.map(\.bridge), forwards: try resolved)), "iptables-forwards.rules")
    }

    @Test func listReport() throws {
        let entries: [ForwardReport.Entry] = [(try forward("8080", "www:80"), IPv4Address("10.140.7.10")), (try forward("198.51.100.1:9000-9010/udp", "gone"), nil)]
        try GoldenFile.check(ForwardReport.table(entries) + JSONCodec.serialize(ForwardReport.json(entries)), "forward-list.txt")
    }
}
