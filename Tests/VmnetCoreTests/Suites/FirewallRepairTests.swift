import Testing
import VmnetCore

/// What `vmnet watch` repairs, and what doctor says about it.
@Suite struct FirewallRepairTests {
    static func completeTable(_ networks: [NetworkRecord]) -> NftTableState {
        var elements: [String: Set<String>] = [:]
        for (set, members) in NftRuleset.elements(networks, allBridges: []) { elements[set.rawValue] = members }
        return NftTableState(ruleCounts: NftCompleteness.expectedRuleCounts(like: Fixtures.web), elements: elements)
    }

    @Test func aCompleteTableNeedsNoRepairAndAFlushedRulesetNeedsIt() {
        let web = Fixtures.web
        #expect(FirewallRepair.missingOwnRules(web, nftTable: Self.completeTable([web]), iptablesSave: nil, ip6tablesSave: nil) == [])
        #expect(FirewallRepair.missingOwnRules(web, nftTable: nil, iptablesSave: nil, ip6tablesSave: nil) == ["table inet vmnet is missing"])
        // Another network's table lacks this one's elements.
        #expect(!FirewallRepair.missingOwnRules(web, nftTable: Self.completeTable([Fixtures.lab]), iptablesSave: nil, ip6tablesSave: nil).isEmpty)
    }

    @Test func aNetworkThatIsDownOrWhoseListingFailedIsLeftAlone() {
        let down = Fixtures.network("off", subnet: "10.140.21.0/24", enabled: false)
        #expect(FirewallRepair.missingOwnRules(down, nftTable: nil, iptablesSave: nil, ip6tablesSave: nil) == [])
        let legacy = Fixtures.network("ipt", subnet: "10.140.23.0/24", firewall: .iptables)
        #expect(FirewallRepair.missingOwnRules(legacy, nftTable: nil, iptablesSave: nil, ip6tablesSave: nil) == [])
        // An empty filter table (after `iptables -F` or a flush) lacks the jumps and the rules.
        let missing = FirewallRepair.missingOwnRules(legacy, nftTable: nil, iptablesSave: "*filter\nCOMMIT\n*nat\nCOMMIT\n", ip6tablesSave: nil)
        #expect(missing.contains { $0.contains("VMNET-FORWARD") } && missing.contains { $0.contains("masquerade") }, "\(missing)")
    }

    @Test func theLogLineNamesAtMostThreeParts() {
        #expect(FirewallRepair.logLine(network: "web", missing: ["table inet vmnet is missing"]) == "repaired: web: table inet vmnet is missing")
        #expect(FirewallRepair.logLine(network: "web", missing: ["a", "b", "c", "d", "e"]) == "repaired: web: a, b, c and 2 more")
    }

    @Test func doctorWarnsOnlyWhereAFirewallManagerCanDropTheRules() {
        let running = WatchDiagnosis.finding(pid: 42, flushers: true, legacyIptables: false)
        #expect(running.status == .ok && running.detail.contains("pid 42"))
        let missing = WatchDiagnosis.finding(pid: nil, flushers: true, legacyIptables: false)
        #expect(missing.status == .warn && missing.detail.contains(WatchDiagnosis.notRunning) && missing.fix?.contains("vmnet-watch.service") == true)
        #expect(WatchDiagnosis.finding(pid: nil, flushers: false, legacyIptables: false).status == .ok)
        let legacy = WatchDiagnosis.finding(pid: 42, flushers: true, legacyIptables: true)
        #expect(legacy.status == .warn && legacy.detail.contains("legacy iptables sends no events"))
    }

    @Test func firewallManagersAreTheOtherToolsChainsNotVmnetsOwn() {
        let vmnetOnly = "table ip filter {\n\tchain FORWARD {\n\t}\n\tchain VMNET-FORWARD {\n\t}\n}\ntable inet vmnet {\n\tchain forward {\n\t}\n}\n"
        #expect(!WatchDiagnosis.hasFirewallManager(chainListing: vmnetOnly))
        #expect(WatchDiagnosis.hasFirewallManager(chainListing: "table ip filter {\n\tchain DOCKER-USER {\n\t}\n}\n"))
        #expect(WatchDiagnosis.hasFirewallManager(chainListing: "table ip6 filter {\n\tchain ufw6-before-input {\n\t}\n}\n"))
        #expect(WatchDiagnosis.hasFirewallManager(chainListing: "table inet firewalld {\n\tchain filter_INPUT {\n\t}\n}\n"))
        #expect(!WatchDiagnosis.hasFirewallManager(chainListing: "table inet other {\n\tchain DOCKER-USER {\n\t}\n}\n"))
    }
}
