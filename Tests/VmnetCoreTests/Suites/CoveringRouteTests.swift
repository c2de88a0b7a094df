import Testing
import VmnetCore

/// A VPN's route over a network's subnet, judged with the host's policy rules.
@Suite struct CoveringRouteTests {
    let web = Fixtures.web  // 10.140.7.0/24 on vmn-web
    static let corporate = HostRoute<IPv4Address>(destination: IPv4Subnet("10.0.0.0/8")!, device: "vpn0")
    static let exact = HostRoute<IPv4Address>(destination: IPv4Subnet("10.140.7.0/24")!, table: "51820", device: "vpn0")

    func effects(_ routes: [HostRoute<IPv4Address>], rules: [PolicyRule] = []) -> [CoveringRoute.Effect] {
        var host = HostSnapshot(routes: routes + [HostRoute(destination: web.subnet, device: web.bridge)])
        host.rules = rules
        return CoveringRoute.routes(covering: web, host: host).map(\.effect)
    }

    @Test func aCorporateSlashEightInMainLosesToTheBridge() {
        #expect(effects([Self.corporate]) == [.bridgeWins])
    }

    @Test func theExactSlash24InATableLookedUpFirstTakesTheGuests() {
        let rule = PolicyRule(priority: 100, table: "51820")
        #expect(effects([Self.exact], rules: [PolicyRule(priority: 0, table: "local"), rule] + PolicyRule.defaults.dropFirst()) == [.takesGuestTraffic(rule)])
        // Without a rule, table 51820 is never looked up.
        #expect(effects([Self.exact]) == [.unreached])
    }

    @Test func wgQuicksSuppressPrefixLengthRuleLetsTheBridgeWin() throws {
        let rules = try IprouteParser.rules(fromJSON: """
            [{"priority":0,"src":"all","table":"local"},{"priority":32764,"src":"all","table":"main","suppress_prefixlen":0},\
            {"priority":32765,"not":null,"src":"all","fwmark":"0xca6c","table":"51820"},{"priority":32766,"src":"all","table":"main"},\
            {"priority":32767,"src":"all","table":"default"}]
            """)
        #expect(rules.map(\.priority) == [0, 32764, 32765, 32766, 32767])
        #expect(rules[2].matchesEveryPacket && rules[1].suppressPrefixLength == 0)
        #expect(effects([Self.exact], rules: rules) == [.bridgeWins])
    }

    @Test func aRuleWithASelectorIsNotEveryPacketsLookup() throws {
        let rules = try IprouteParser.rules(fromJSON: #"[{"priority":100,"src":"all","fwmark":"0x1","table":"51820"},{"priority":101,"src":"192.0.2.0","srclen":24,"table":"51820"},{"priority":102,"src":"all","iif":"eth0","table":"51820"}]"#)
        #expect(rules.allSatisfy { !$0.matchesEveryPacket })
        #expect(effects([Self.exact], rules: rules + PolicyRule.defaults) == [.unreached])
    }

    @Test func aGuestsSlash32ThroughTheVPNInMainTakesThatGuest() {
        let guest = HostRoute<IPv4Address>(destination: IPv4Subnet("10.140.7.200/32")!, device: "vpn0")
        guard case .takesGuestTraffic = effects([guest]).first else { Issue.record("expected the /32 to win"); return }
    }

    @Test func doctorNamesTheRouteItsTableWhatBreaksAndBothWaysOut() {
        var host = DoctorDiagnosisTests.healthyHost()
        host.host.routes = [HostRoute(destination: web.subnet, device: web.bridge), Self.corporate]
        let finding = NetworkDiagnosis.findings(for: web, observed: DoctorDiagnosisTests.healthyNetwork(), host: host, networks: [web])
            .first { $0.check == "subnet" }
        #expect(finding?.status == .fail)
        #expect(finding?.detail.contains("route 10.0.0.0/8 dev vpn0 (table main) loses to the bridge's own route") == true, "\(finding?.detail ?? "")")
        #expect(finding?.fix == "vmnet set web subnet=auto --replace (or destroy it and create it again on another subnet), or narrow the VPN's route to leave 10.140.7.0/24 out")

        host.host.routes = [HostRoute(destination: web.subnet, device: web.bridge), Self.exact]
        host.host.rules = [PolicyRule(priority: 0, table: "local"), PolicyRule(priority: 100, table: "51820")] + PolicyRule.defaults.dropFirst()
        let taken = NetworkDiagnosis.findings(for: web, observed: DoctorDiagnosisTests.healthyNetwork(), host: host, networks: [web])
            .first { $0.check == "subnet" }
        #expect(taken?.status == .fail)
        #expect(taken?.detail.contains("route 10.140.7.0/24 dev vpn0 (table 51820), looked up by ip rule 100: lookup 51820 before the bridge's route in main") == true,
                "\(taken?.detail ?? "")")
    }
}
