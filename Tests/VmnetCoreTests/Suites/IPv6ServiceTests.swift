import JSON
import Testing
import VmnetCore

/// dnsmasq's IPv6 side: router advertisements, DHCPv6, AAAA and ip6.arpa, reservations with
/// an IPv6 address, DHCPv6 leases in `vmnet leases`.
@Suite struct IPv6ServiceTests {
    let files = DnsmasqFiles(runDirectory: "/run/vmnet/web6", stateDirectory: "/var/lib/vmnet/networks/web6")
    let labFiles = DnsmasqFiles(runDirectory: "/run/vmnet/lab6", stateDirectory: "/var/lib/vmnet/networks/lab6")

    @Test func dnsmasqDualStackNat() throws {
        try GoldenFile.check(DnsmasqConfig.render(Fixtures.web6, files: files, upstream: [IPv4Address("127.0.0.53")!]), "dnsmasq-dual-stack-nat.conf")
    }

    @Test func dnsmasqDualStackHostOnlyWithMTU() throws {
        try GoldenFile.check(DnsmasqConfig.render(Fixtures.lab6, files: labFiles, upstream: []), "dnsmasq-dual-stack-host-only-mtu.conf")
    }

    @Test func aNatNetworkWithAnMTUKeepsItsRouterLifetime() {
        var network = Fixtures.web6
        network.mtu = 1400
        let text = DnsmasqConfig.render(network, files: files, upstream: [])
        #expect(text.contains("\nra-param=vmn-web6,mtu:1400,0\n"))
        #expect(DnsmasqConfig.render(Fixtures.web6, files: files, upstream: []).contains("ra-param") == false)
    }

    @Test func ipv6OffRendersNoIPv6Line() {
        let text = DnsmasqConfig.render(Fixtures.web, files: files, upstream: [])
        for word in ["enable-ra", "option6", "ip6.arpa", "ra-param", "slaac"] { #expect(!text.contains(word), "\(word)") }
    }

    @Test func peersAnswerTheIPv6ReverseZoneLikeTheIPv4Ones() {
        let second = Fixtures.network("second", subnet: "10.140.12.0/24", isolation: false, subnet6: "fd42:1:2:c::/64")
        var open = Fixtures.open
        open.subnet6 = IPv6Subnet("fd42:1:2:b::/64")
        let text = DnsmasqPeers([Fixtures.web6, open, second]).file(for: second)
        #expect(text.contains("server=/web6.vmnet/13.140.10.in-addr.arpa/7.0.0.0.2.0.0.0.1.0.0.0.2.4.d.f.ip6.arpa/\n"))
        #expect(text.contains("server=/open.vmnet/11.140.10.in-addr.arpa/b.0.0.0.2.0.0.0.1.0.0.0.2.4.d.f.ip6.arpa/10.140.11.1\n"))
    }

    @Test func aReservationGetsTheIPv6AddressAtItsIPv4HostOffsetOrTheOneAsked() throws {
        let network = Fixtures.web6
        let db = try ReservationPlanner.reserve(host: "db", mac: nil, ip: "10.140.13.20", network: network, existing: [])
        #expect(db.ip6 == IPv6Address("fd42:1:2:7::14"))
        let fixed = try ReservationPlanner.reserve(host: "fixed", mac: nil, ip: nil, ip6: "fd42:1:2:7::99", network: network, existing: [db])
        #expect(fixed.ip6 == IPv6Address("fd42:1:2:7::99"))
        // Re-adding the same host keeps its own address.
        #expect(try ReservationPlanner.reserve(host: "db", mac: nil, ip: "10.140.13.20", network: network, existing: [db, fixed]) == db)
        let cases: [(String, VmnetError.Code, String)] = [
            ("fd42:1:2:7::1:5", .invalidInput, "outside the static IPv6 range of 'web6': use fd42:1:2:7::2 to fd42:1:2:7::ffff"),
            ("fd42:1:2:8::5", .invalidInput, "outside the static IPv6 range"),
            ("fd42:1:2:7::1", .invalidInput, "outside the static IPv6 range"),
            ("zz::1", .invalidInput, "is not an IPv6 address"),
            ("fd42:1:2:7::14", .conflict, "already reserved for host 'db'"),
        ]
        for (wanted, code, phrase) in cases {
            do {
                _ = try ReservationPlanner.reserve(host: "other", mac: nil, ip: nil, ip6: wanted, network: network, existing: [db, fixed])
                Issue.record("expected \(code) for \(wanted)")
            } catch {
                #expect(error.code == code && error.message.contains(phrase), "\(error)")
            }
        }
        // Without IPv6, no address and --ip6 is refused.
        #expect(try ReservationPlanner.reserve(host: "db", mac: nil, ip: nil, network: Fixtures.web, existing: []).ip6 == nil)
        #expect(throws: VmnetError.self) { try ReservationPlanner.reserve(host: "db", mac: nil, ip: nil, ip6: "fd42:1:2:7::14", network: Fixtures.web, existing: []) }
    }

    static let db = HostReservation(name: "db", mac: MACAddress("02:00:00:00:00:01")!, ip: IPv4Address("10.140.13.20")!, ip6: IPv6Address("fd42:1:2:7::14"))
    static let vm = HostReservation(name: "vm", mac: MACAddress("02:00:00:00:00:02")!, ip: IPv4Address("10.140.13.21")!)

    @Test func hostListsCarryTheIPv6Address() {
        #expect(HostsFiles.dhcpHosts([Self.vm, Self.db]) == "02:00:00:00:00:01,10.140.13.20,[fd42:1:2:7::14],db\n02:00:00:00:00:02,10.140.13.21,vm\n")
        #expect(HostsFiles.addnHosts([Self.db], domain: "web6.vmnet") == "10.140.13.20 db.web6.vmnet db\nfd42:1:2:7::14 db.web6.vmnet db\n")
    }

    func hostsError(_ text: String) -> String? {
        do { _ = try HostReservationsFile.decode(text: text, file: "/s/hosts.json"); return nil } catch { return error.message }
    }

    @Test func hostsFileKeepsIPv6AndStillReadsVersionOne() throws {
        let text = JSONCodec.serialize(HostReservationsFile.encode([Self.vm, Self.db]))
        #expect(text.contains("\"version\": 2"))
        #expect(try HostReservationsFile.decode(text: text, file: "f") == [Self.db, Self.vm])
        let versionOne = #"{"version": 1, "hosts": [{"name": "vm", "mac": "02:00:00:00:00:02", "ip": "10.140.13.21"}]}"#
        #expect(try HostReservationsFile.decode(text: versionOne, file: "f") == [Self.vm])
        func entry(_ ip6: String) -> String {
            "{\"version\": 2, \"hosts\": [\n  {\"name\": \"vm\", \"mac\": \"02:00:00:00:00:02\", \"ip\": \"10.140.13.21\", \"ip6\": \(ip6)}\n]}"
        }
        #expect(hostsError(entry(#""nope""#)) == "/s/hosts.json:2: hosts[0].ip6: 'nope' is not an IPv6 address")
        #expect(hostsError(entry("7")) == "/s/hosts.json:2: hosts[0].ip6: expected a string or null, found number")
        #expect(try HostReservationsFile.decode(text: entry("null"), file: "f") == [Self.vm])
        #expect(Self.db.json["ip6"] == .string("fd42:1:2:7::14") && Self.vm.json["ip6"] == .null)
    }

    /// A lease file as dnsmasq 2.90 wrote it for a dhclient -6 (DUID-LLT), a dhcpcd (DUID-LLT)
    /// and a client with a DUID-EN (no MAC in it), after one IPv4 lease.
    static let leaseFile = """
        1795624700 02:00:00:00:00:09 10.140.13.201 four 01:02:00:00:00:00:09
        duid 00:01:00:01:32:99:bd:e0:b2:97:67:c2:6b:b1
        1795624951 2470039925 fd42:1:2:7::14 db 00:01:00:01:32:99:be:66:02:00:00:00:00:01
        1795624828 2470039925 fd42:1:2:7::1:de96 client 00:01:00:01:32:99:bd:ec:36:b5:93:39:d1:75
        1795624866 1 fd42:1:2:7::1:260b * 00:03:00:01:de:d7:8c:be:8d:c6
        1795624999 T7 fd42:1:2:7::1:77 client 00:02:00:00:ab:11:01:02:03:04

        """

    @Test func dhcpv6LeasesAreParsedAfterTheDUIDLine() {
        let leases = DHCPv6Lease.parse(Self.leaseFile)
        #expect(leases.map(\.address.description) == ["fd42:1:2:7::14", "fd42:1:2:7::1:de96", "fd42:1:2:7::1:260b", "fd42:1:2:7::1:77"])
        #expect(leases.map(\.hostname) == ["db", "client", nil, "client"])
        #expect(leases.map(\.mac?.description) == ["02:00:00:00:00:01", "36:b5:93:39:d1:75", "de:d7:8c:be:8d:c6", nil])
        #expect(leases.map(\.temporary) == [false, false, false, true] && leases[3].iaid == 7)
        #expect(DHCPLease.parse(Self.leaseFile).map(\.ip.description) == ["10.140.13.201"])
    }

    @Test func leasesListDHCPv6LeasesAndReservedIPv6Addresses() throws {
        let leases6 = DHCPv6Lease.parse(Self.leaseFile)
        let entries = LeaseEntry.merge(network: "web6", leases: DHCPLease.parse(Self.leaseFile), reservations: [Self.db, Self.vm], containers: [],
                                       leases6: leases6)
        #expect(entries.map(\.ip.description) == [
            "10.140.13.20", "10.140.13.21", "10.140.13.201", "fd42:1:2:7::14", "fd42:1:2:7::1:77", "fd42:1:2:7::1:260b", "fd42:1:2:7::1:de96",
        ])
        #expect(entries.map(\.ip.family) == ["ipv4", "ipv4", "ipv4", "ipv6", "ipv6", "ipv6", "ipv6"])
        #expect(entries[3].source == .reserved && entries[3].hostname == "db" && entries[3].expires == 1795624951)
        // Two DHCPv6 clients asked for "client": the newer lease holds the name.
        #expect(entries[4].hostname == "client" && entries[6].hostname == nil && entries[6].note == LeaseEntry.takenByClient)
        #expect(entries[5].mac == "de:d7:8c:be:8d:c6" && entries[5].hostname == nil)
        try GoldenFile.check(JSONCodec.serialize(.array(entries.map(\.json))), "leases-dual-stack.json")
        try GoldenFile.check(LeaseEntry.table(entries, now: 1795620000), "leases-dual-stack.txt")
    }

    @Test func anIPv6BridgeGetsItsLinkLocalWithoutDuplicateAddressDetection() {
        let mac = BridgeMAC.address(for: Fixtures.web6.name).bytes
        let linkLocal = BridgeMAC.linkLocal(for: Fixtures.web6.name)
        #expect(linkLocal.high == 0xfe80_0000_0000_0000 && linkLocal.low >> 56 == UInt64(mac[0] ^ 0x02) && linkLocal.low & 0xff == UInt64(mac[5]))
        let plan = LinkPlanner.bringUp([Fixtures.web6], host: HostSnapshot()).map(\.description)
        #expect(plan.contains("ip link set dev vmn-web6 addrgenmode none"))
        #expect(plan.contains("ip address replace \(linkLocal)/64 dev vmn-web6 nodad"))
        #expect(plan.contains("ip address replace fd42:1:2:7::1/64 dev vmn-web6 nodad"))
        #expect(plan.last == "ip link set dev vmn-web6 up")
        // The keeper's peer is no bridge port: it would take a SLAAC address from the advertisements.
        let peer = BridgeNamer.keeperPort(for: "vmn-web6").peer
        #expect(plan.firstIndex(of: "ip link set dev \(peer) mtu 1279")! < plan.firstIndex(of: "ip link set dev \(peer) up")!)
        // IPv6 off: no address of the kernel's either.
        let off = LinkPlanner.bringUp([Fixtures.web], host: HostSnapshot()).map(\.description)
        #expect(off.contains("ip link set dev vmn-web addrgenmode none") && !off.contains { $0.contains("fe80") })
    }
}
