import JSON
import Testing
import VmnetCore

@Suite("Guest policy lists: host ports and egress destinations")
struct PolicyListTests {
    static func with(_ network: NetworkRecord, _ settings: [String]) throws -> NetworkRecord {
        let change = try NetworkChange.plan(network, settings: settings.map { (argument) throws(VmnetError) in try NetworkSetting(argument) }, replace: false) {
            (_) throws(VmnetError) in network.subnet
        }
        return change.after
    }

    /// Dual-stack, shielded with ports and an egress list of both families; a host-only
    /// network with ports; a shielded TFTP server; and one without a policy beside them.
    static let web = try! with(IPv6FirewallTests.web, ["host_access=22,8000-8100/tcp,53/udp",
                                                        "egress=192.168.1.10/32:5432/tcp,0.0.0.0/0:443,203.0.113.0/24,[2001:db8::/32]:443/tcp,2001:db8:1::/48"])
    static let lab = try! with(Fixtures.lab, ["host_access=2222"])
    static let boot = try! with(Fixtures.network("boot", subnet: "10.140.19.0/24"), ["host_access=services", "dhcp_boot=ipxe.efi", "tftp_root=/srv/boot/tftp"])
    static let plain = Fixtures.network("plain", subnet: "10.140.17.0/24")
    static let networks = [web, lab, boot, plain]

    @Test func parsesAndPrintsTheLists() throws {
        #expect(try HostAccessPolicy("22,8000-8100/tcp,53/udp").description == "22/tcp,8000-8100/tcp,53/udp")
        #expect(try HostAccessPolicy("services") == .services && HostAccessPolicy("all") == .all)
        let egress = try EgressPolicy("192.168.1.10/32:5432/tcp,0.0.0.0/0:443,[2001:db8::/32]:443/udp,2001:db8::/32,[fd00::/8]")
        #expect(egress.description == "192.168.1.10/32:5432/tcp,0.0.0.0/0:443/tcp,[2001:db8::/32]:443/udp,2001:db8::/32,fd00::/8")
        #expect(try EgressPolicy("internet") == .internet && EgressPolicy("none") == .none && EgressPolicy("all") == .all)
    }

    @Test func nftTableWithLists() throws {
        try GoldenFile.check(NftRuleset.table(Self.networks, allBridges: Self.networks.map(\.bridge)), "nft-policy-lists.nft")
    }

    @Test func nftTableDeclaresAListsSetsOnlyWhileANetworkHasSuchAList() {
        let text = NftRuleset.table([GuestPolicyTests.web], allBridges: ["vmn-web"])
        #expect(text.contains("shielded") && !text.contains("host_ports") && !text.contains("egress_listed") && !text.contains("tftp"))
    }

    @Test func nftTftpOfAShieldedNetwork() throws {
        try GoldenFile.check(NftRuleset.table([Self.boot], allBridges: [Self.boot.bridge]), "nft-policy-tftp.nft")
    }

    @Test func iptablesWithLists() throws {
        let bridges = Self.networks.map(\.bridge)
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv4Address.self, Self.networks, allBridges: bridges)), "iptables-policy-lists.rules")
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv6Address.self, Self.networks, allBridges: bridges)), "ip6tables-policy-lists.rules")
    }

    @Test func recordsStoreTheListsAsJSONListsAndReadThemBack() throws {
        let object = try #require(NetworkRecordCoding.encode(Self.web).objectValue)
        #expect(object["host_access"] == .array(["22/tcp", "8000-8100/tcp", "53/udp"].map(JSONValue.string)))
        #expect(object["egress"]?.arrayValue?.count == 5)
        #expect(try NetworkRecordCoding.decode(text: JSONCodec.serialize(.object(object)), file: "web.json") == Self.web)
        var bad = object
        bad["host_access"] = .array([.string("22"), .bool(true)])
        #expect(throws: VmnetError.self) { try NetworkRecordCoding.decode(text: JSONCodec.serialize(.object(bad)), file: "web.json") }
    }

    @Test func profilesTakeTheListsAsJSONLists() throws {
        let text = #"{"host_access": [22, "8000-8100/tcp"], "egress": ["192.168.1.10/32:5432/tcp"]}"#
        let profile = try ProfileParser.parse(name: "p", file: "p.json", text: text)
        #expect(profile.hostAccess.description == "22/tcp,8000-8100/tcp")
        #expect(profile.egress.description == "192.168.1.10/32:5432/tcp")
    }

    @Test func setChangesReadAsTheListsDo() throws {
        let change = try NetworkChange.plan(Fixtures.web, settings: [try NetworkSetting("host_access=22,8000-8100/tcp")], replace: false) {
            (_) throws(VmnetError) in Fixtures.web.subnet
        }
        #expect(change.changes == [SettingChange(key: "host_access", from: "all", to: "22/tcp,8000-8100/tcp", applications: [.firewallRules])])
    }

    @Test(arguments: ["host_access", "egress"])
    func hostileValuesAreRefusedInOneLine(key: String) {
        let hostile = [
            "22\n", "22,\nflush ruleset", "22#x", "\"22\"", "'22'", "22;reboot", String(repeating: "22,", count: 3_400) + "22",
            String(repeating: "1", count: 10_000), "", ",", "22,,23", "0", "65536", "100-99", "22/icmp", "10.0.0.1/8", "10.0.0.0/8:22/sctp",
            "[2001:db8::/32", "[2001:db8::/32]443", "10.0.0.0/33", "22,20-30", "22,22", "10.0.0.0/8:443,10.1.0.0/16:400-500",
        ]
        for value in hostile {
            #expect(throws: VmnetError.self, "\(value.prefix(40).debugDescription)") { try NetworkSetting("\(key)=\(value)") }
            do {
                _ = try NetworkSetting("\(key)=\(value)")
            } catch {
                #expect(!error.message.contains("\n") && error.message.count < 400 && error.code == .invalidInput, "\(error.message)")
            }
        }
    }

    @Test func doctorWantsThePolicysRulesOnNftables() {
        let text = NftRuleset.table(Self.networks, allBridges: Self.networks.map(\.bridge))
        let elements = Dictionary(uniqueKeysWithValues: NftRuleset.elements(Self.networks, allBridges: []).map { ($0.key.rawValue, $0.value) })
        func state(_ listing: String) -> NftTableState {
            NftTableState(ruleCounts: NftTableState.ruleCounts(listing: listing), elements: elements, setReferences: NftTableState.setReferences(listing: listing))
        }
        #expect(NftCompleteness.missing(for: Self.web, in: state(text)).isEmpty)
        let unshielded = text.split(separator: "\n").filter { !$0.contains("iifname @shielded reject") }.joined(separator: "\n")
        let missing = NftCompleteness.missing(for: Self.web, in: state(unshielded))
        #expect(missing.contains { $0.contains("@shielded") && $0.contains("host_access=22/tcp,8000-8100/tcp,53/udp") }, "\(missing)")
        #expect(NftCompleteness.missing(for: Self.plain, in: state(unshielded)).allSatisfy { !$0.contains("@shielded") })
        var emptied = state(text)
        emptied.elements["egress_ports"] = []
        #expect(NftCompleteness.missing(for: Self.web, in: emptied).contains("set egress_ports has 0 of this network's 2 items"))
    }

    @Test func doctorWantsThePolicysRulesOnIptables() throws {
        let bridges = Self.networks.map(\.bridge)
        let save = try #require(IptablesRuleset.render(IPv4Address.self, Self.networks, allBridges: bridges))
        // The rendering has no jumps from the built-in chains: only those are missing.
        #expect(IptablesCompleteness.missing(of: IPv4Address.self, for: Self.web, save: save).allSatisfy { $0.contains("jump") })
        let unshielded = save.split(separator: "\n").filter { !$0.hasPrefix("-A VMNET-INPUT -i vmn-web -j REJECT") }.joined(separator: "\n")
        #expect(IptablesCompleteness.missing(of: IPv4Address.self, for: Self.web, save: unshielded).contains { $0.contains("shield of vmn-web") })
        let open = save.split(separator: "\n").filter { !$0.hasPrefix("-A VMNET-FORWARD -i vmn-web -m conntrack --ctstate NEW -j REJECT") }.joined(separator: "\n")
        #expect(IptablesCompleteness.missing(of: IPv4Address.self, for: Self.web, save: open).contains { $0.contains("egress rules of vmn-web") })
    }
}
