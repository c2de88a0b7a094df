import JSON
import Testing
import VmnetCore

@Suite("Guest policy: host_access and egress")
struct GuestPolicyTests {
    static func policy(_ network: NetworkRecord, _ hostAccess: HostAccessPolicy, _ egress: EgressPolicy) -> NetworkRecord {
        var network = network
        network.hostAccess = hostAccess
        network.egress = egress
        return network
    }

    /// Shielded and internet-only, dual-stack; a host-only network shielded; a NAT network
    /// with no egress; and one without a policy beside them.
    static let web = policy(IPv6FirewallTests.web, .services, .internet)
    static let lab = policy(Fixtures.lab, .services, .internet)
    static let open = policy(Fixtures.open, .all, .none)
    static let plain = Fixtures.network("plain", subnet: "10.140.17.0/24")
    static let networks = [web, lab, open, plain]

    @Test func nftTableWithPolicies() throws {
        try GoldenFile.check(NftRuleset.table(Self.networks, allBridges: Self.networks.map(\.bridge)), "nft-policy.nft")
    }

    @Test func nftTableWithoutPoliciesHasNoneOfTheirSetsOrRules() {
        let text = NftRuleset.table([Fixtures.web], allBridges: ["vmn-web"])
        #expect(!text.contains("shielded") && !text.contains("egress"))
    }

    @Test func nftUpdateMovesPolicyElements() throws {
        let after = [Self.web, Self.policy(Self.plain, .services, .all)]
        let text = NftRuleset.update(after, allBridges: after.map(\.bridge), previous: [IPv6FirewallTests.web, Self.plain],
                                     previousBridges: after.map(\.bridge), touched: [])
        try GoldenFile.check(text, "nft-policy-update.nft")
    }

    @Test func nftCompletenessWantsThePolicyRulesOnlyOfANetworkWithAPolicy() {
        let plainCounts = NftCompleteness.expectedRuleCounts(like: Self.plain)
        let webCounts = NftCompleteness.expectedRuleCounts(like: Self.web)
        #expect(webCounts["input"] == plainCounts["input"].map { $0 + 3 })
        #expect(webCounts["forward"] == plainCounts["forward"].map { $0 + 3 })
        // A table without the policy sets is complete for a network without a policy.
        let state = NftTableState(ruleCounts: plainCounts, elements: [:])
        #expect(!NftCompleteness.missing(for: Self.plain, in: state).contains { $0.contains("shielded") || $0.contains("egress") })
    }

    @Test func iptablesWithPolicies() throws {
        let bridges = Self.networks.map(\.bridge)
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv4Address.self, Self.networks, allBridges: bridges)), "iptables-policy.rules")
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv6Address.self, Self.networks, allBridges: bridges)), "ip6tables-policy.rules")
    }

    @Test func theSandboxProfileShieldsNatKeepsTodaysRulesAndOldRecordsToo() throws {
        func made(_ profile: Profile) throws -> NetworkRecord {
            try NetworkPlanner.record(
                for: CreateRequest(name: try NetworkName("new")), profile: profile, host: HostSnapshot(), existing: [],
                defaultFirewall: .nftables, created: "2026-01-02T03:04:05Z", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
        }
        var sandbox = Profile(name: "sandbox")
        sandbox.hostAccess = .services
        sandbox.egress = .internet
        #expect(try made(sandbox).hostAccess == .services && made(sandbox).egress == .internet)
        #expect(try made(Profile(name: "nat")).hostAccess == .all && made(Profile(name: "nat")).egress == .all)
        var object = try #require(NetworkRecordCoding.encode(Fixtures.web).objectValue)
        #expect(object["host_access"]?.stringValue == "all" && object["egress"]?.stringValue == "all")
        object["host_access"] = nil
        object["egress"] = nil
        let old = try NetworkRecordCoding.decode(text: JSONCodec.serialize(.object(object)), file: "web.json")
        #expect(old.hostAccess == .all && old.egress == .all && !old.hasGuestPolicy)
        let shielded = NetworkRecordCoding.encode(Self.web)
        #expect(try NetworkRecordCoding.decode(text: JSONCodec.serialize(shielded), file: "web.json") == Self.web)
        object["egress"] = .string("everywhere")
        #expect(throws: VmnetError.self) { try NetworkRecordCoding.decode(text: JSONCodec.serialize(.object(object)), file: "web.json") }
    }

    @Test func setKeysAreValidatedAndRewriteTheRules() throws {
        func plan(_ record: NetworkRecord, _ arguments: [String]) throws -> NetworkChange {
            try NetworkChange.plan(record, settings: arguments.map { (argument) throws(VmnetError) in try NetworkSetting(argument) }, replace: false) {
                (_) throws(VmnetError) in record.subnet
            }
        }
        #expect(try plan(Fixtures.web, ["host_access=services"]).changes
            == [SettingChange(key: "host_access", from: "all", to: "services", applications: [.firewallRules])])
        #expect(try plan(Fixtures.web, ["egress=internet"]).changes
            == [SettingChange(key: "egress", from: "all", to: "internet", applications: [.firewallRules])])
        #expect(try plan(Fixtures.lab, ["egress=none"]).applications.isEmpty)
        #expect(try plan(Self.web, ["host_access=services", "egress=internet"]).isEmpty)
        for bad in ["host_access=none", "host_access=", "egress=lan", "egress=internet\nx"] {
            #expect(throws: VmnetError.self) { try NetworkSetting(bad) }
        }
    }
}
