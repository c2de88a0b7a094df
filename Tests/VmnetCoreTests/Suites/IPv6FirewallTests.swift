import JSON
import Testing
import VmnetCore

@Suite("IPv6 firewall rules")
struct IPv6FirewallTests {
    static func dual(_ network: NetworkRecord, _ subnet6: String) -> NetworkRecord {
        var network = network
        network.subnet6 = IPv6Subnet(subnet6)!
        return network
    }

    static let web = dual(Fixtures.web, "fd12:3456:789a:7::/64")
    static let lab = dual(Fixtures.lab, "fd12:3456:789a:9::/64")
    /// A NAT network with `ipv6: "off"`.
    static let open = Fixtures.open
    static let networks = [web, lab, open]

    @Test func nftTableCarriesIPv6ElementsOnlyForNetworksWithIPv6() throws {
        let text = NftRuleset.table(Self.networks, allBridges: Self.networks.map(\.bridge))
        try GoldenFile.check(text, "nft-dual.nft")
        let elements = NftRuleset.elements([Self.open], allBridges: [])
        for set in [NftRuleset.SetName.natBridges6, .natSubnets6, .gateways6, .isolatedGateways6, .ownGateways6] {
            #expect(elements[set]?.isEmpty == true, "\(set)")
        }
    }

    @Test func nftUpdateMovesIPv6Elements() throws {
        let text = NftRuleset.update([Self.web, Self.lab], allBridges: ["vmn-web", "vmn-lab"], previous: [Self.web, Self.open],
                                     previousBridges: ["vmn-web", "vmn-open"], touched: [Self.lab])
        try GoldenFile.check(text, "nft-dual-update.nft")
    }

    @Test func ip6tablesRulesForNetworksWithIPv6AndNoneWithout() throws {
        let text = try #require(IptablesRuleset.render(IPv6Address.self, Self.networks, allBridges: Self.networks.map(\.bridge) + ["vmn-nft"]))
        try GoldenFile.check(text, "ip6tables-mixed.rules")
        #expect(IptablesRuleset.render(IPv6Address.self, [Self.open], allBridges: ["vmn-open"]) == nil)
        // The IPv4 rules do not change with IPv6.
        #expect(IptablesRuleset.render(IPv4Address.self, Self.networks, allBridges: []) == IptablesRuleset.render(IPv4Address.self, [Fixtures.web, Fixtures.lab, Fixtures.open], allBridges: []))
    }

    @Test func ip6tablesRemovalTakesJumpsAndChainsInOneRestore() throws {
        let saved = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :VMNET-FORWARD - [0:0]
            :VMNET-INPUT - [0:0]
            -A INPUT -j VMNET-INPUT
            -A FORWARD -j VMNET-FORWARD
            -A FORWARD -j VMNET-FORWARD
            -A VMNET-INPUT -i lo -j RETURN
            COMMIT
            *nat
            :POSTROUTING ACCEPT [0:0]
            :VMNET-POSTROUTING - [0:0]
            COMMIT
            """
        #expect(IptablesRuleset.removal(saved: saved, jumps: IPv6Address.iptablesJumps) == """
            *filter
            -D INPUT -j VMNET-INPUT
            -D FORWARD -j VMNET-FORWARD
            -D FORWARD -j VMNET-FORWARD
            -F VMNET-FORWARD
            -F VMNET-INPUT
            -X VMNET-FORWARD
            -X VMNET-INPUT
            COMMIT
            *nat
            -F VMNET-POSTROUTING
            -X VMNET-POSTROUTING
            COMMIT

            """)
        #expect(IptablesRuleset.removal(saved: "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", jumps: IPv6Address.iptablesJumps) == nil)
    }

    @Test func nftStateReadsIPv6ElementsAsRendered() throws {
        let text = """
            {"nftables": [{"set": {"family": "inet", "name": "nat_subnets6", "table": "vmnet", "type": "ipv6_addr", "flags": ["interval"],
              "elem": [{"prefix": {"addr": "fd12:3456:789a:7::", "len": 64}}, "fd00::5"]}},
             {"set": {"family": "inet", "name": "gateways6", "table": "vmnet", "type": "ipv6_addr", "elem": ["fd12:3456:789a:7::1"]}},
             {"set": {"family": "inet", "name": "own_gateways6", "table": "vmnet", "type": ["ifname", "ipv6_addr"],
              "elem": [{"concat": ["vmn-web", "fd12:3456:789a:7::1"]}]}}]}
            """
        let state = NftTableState(json: try JSONCodec.parse(text, source: "test"))
        #expect(state.elements["nat_subnets6"] == ["fd12:3456:789a:7::/64", "fd00::5/128"])
        #expect(state.elements["gateways6"] == ["fd12:3456:789a:7::1"])
        #expect(state.elements["own_gateways6"] == ["\"vmn-web\" . fd12:3456:789a:7::1"])
        let elements = NftRuleset.elements([Self.web], allBridges: [])
        let complete = NftTableState(ruleCounts: NftCompleteness.expectedRuleCounts(like: Self.web),
                                     elements: Dictionary(uniqueKeysWithValues: NftRuleset.SetName.allCases.map { ($0.rawValue, elements[$0] ?? []) }))
        #expect(NftCompleteness.missing(for: Self.web, in: complete).isEmpty)
        var lacking = complete
        lacking.elements["nat_subnets6"] = []
        #expect(NftCompleteness.missing(for: Self.web, in: lacking) == ["set nat_subnets6 lacks fd12:3456:789a:7::/64"])
    }

    @Test func ip6tablesCompletenessNamesWhatIsMissing() throws {
        let save = """
            *filter
            -A INPUT -j VMNET-INPUT
            -A FORWARD -j VMNET-FORWARD
            -A VMNET-INPUT -i vmn-web -p udp -m udp --dport 547 -j ACCEPT
            -A VMNET-FORWARD -i vmn-web -o vmn-web -j ACCEPT
            COMMIT
            *nat
            -A VMNET-POSTROUTING -s fd12:3456:789a:7::/64 ! -d fd12:3456:789a:7::/64 -j MASQUERADE
            COMMIT
            """
        #expect(IptablesCompleteness.missing(of: IPv6Address.self, for: Self.web, save: save) == ["the ip6tables jump from nat POSTROUTING to VMNET-POSTROUTING"])
        #expect(IptablesCompleteness.missing(of: IPv6Address.self, for: Self.open, save: "").isEmpty)
        #expect(IptablesCompleteness.missing(of: IPv6Address.self, for: Self.web, save: "").count == 6)
    }

    static let dockerIPv6 = """
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :DOCKER-USER - [0:0]
        -A FORWARD -j DOCKER-USER
        -A DOCKER-USER -j RETURN
        COMMIT
        """

    @Test func ip6tablesCoexistenceAcceptsOnlyNetworksWithIPv6() throws {
        let table = try IptablesFilterTable.parse(Self.dockerIPv6)
        let plan = IptablesCoexistence.plan(table, networks: Self.networks, allBridges: Self.networks.map(\.bridge), ipv6: true)
        try GoldenFile.check(try #require(plan.restoreInput), "coexist6-docker.rules")
        #expect(plan.restoreInput?.contains("vmnet:open") == false)
        let none = IptablesCoexistence.plan(table, networks: [Self.open], allBridges: ["vmn-open"], ipv6: true)
        #expect(none.restoreInput == nil && none.forwardBlocker == nil)
        let findings = CoexistenceFindings.iptables(plan, backend: "nft", program: "ip6tables", networks: [Self.web])
        #expect(findings.map(\.check) == [CoexistenceFindings.ip6tablesCheck])
        #expect(findings.first?.detail.hasPrefix("ip6tables-nft: INPUT policy DROP") == true, "\(findings)")
    }

    @Test func ip6NftTablesCountOnlyWithIPv6AndTheirFixAcceptsNeighbourDiscovery() throws {
        let chains = [NftBaseChain(family: "ip6", table: "mine", chain: "input", hook: "input", policy: "drop"),
                      NftBaseChain(family: "ip6", table: "filter", chain: "FORWARD", hook: "forward", policy: "drop")]
        #expect(NftBaseChain.foreignDrops(chains).isEmpty)
        let drops = NftBaseChain.foreignDrops(chains, ipv6: true)
        #expect(drops.map(\.name) == ["ip6 mine input"])
        #expect(drops[0].fix(for: [Self.web]) == """
            nft insert rule ip6 mine input iifname "vmn-web" udp dport { 53, 547 } accept; \
            nft insert rule ip6 mine input iifname "vmn-web" tcp dport 53 accept; \
            nft insert rule ip6 mine input iifname "vmn-web" icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, echo-request } accept
            """)
    }
}
