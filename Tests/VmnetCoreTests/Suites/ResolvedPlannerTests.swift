import Testing
import VmnetCore

/// Reading what systemd-resolved holds for a link (output of resolvectl 252, as printed in a
/// test namespace) and the doctor's verdict on it.
@Suite struct ResolvedPlannerTests {
    let registeredDNS = "Link 6 (vmn-web): 10.140.7.1\n"
    let registeredDomain = "Link 6 (vmn-web): ~web.vmnet\n"

    @Test func linkValuesAreTheWordsAfterTheLinkName() {
        #expect(ResolvedPlanner.linkValues("Link 6 (vmn-web): 10.140.7.1 192.0.2.53\n") == ["10.140.7.1", "192.0.2.53"])
        #expect(ResolvedPlanner.linkValues("Link 6 (vmn-web):\n").isEmpty)
        #expect(ResolvedPlanner.linkValues("").isEmpty)
        #expect(ResolvedPlanner.linkValues("Global: 198.51.100.2\nLink 6 (vmn-web): ~web.vmnet other.test\n") == ["~web.vmnet", "other.test"])
    }

    @Test func aRegisteredLinkLacksNothing() {
        #expect(ResolvedPlanner.missing(Fixtures.web, dnsOutput: registeredDNS, domainOutput: registeredDomain).isEmpty)
        // A server written with its port, interface or TLS name is still the gateway.
        for server in ["10.140.7.1:53", "10.140.7.1%6", "10.140.7.1#gw"] {
            #expect(ResolvedPlanner.missing(Fixtures.web, dnsOutput: "Link 6 (vmn-web): \(server)\n", domainOutput: registeredDomain).isEmpty)
        }
    }

    @Test func aLinkWithoutTheSettingsNeedsTheRegistration() {
        let empty = "Link 6 (vmn-web):\n"
        #expect(ResolvedPlanner.missing(Fixtures.web, dnsOutput: empty, domainOutput: empty) == [
            "the DNS server 10.140.7.1", "the routing domain ~web.vmnet",
        ])
        // Another address that starts like the gateway, or the domain without '~', does not count.
        #expect(ResolvedPlanner.missing(Fixtures.web, dnsOutput: "Link 6 (vmn-web): 10.140.7.10\n", domainOutput: "Link 6 (vmn-web): web.vmnet\n") == [
            "the DNS server 10.140.7.1", "the routing domain ~web.vmnet",
        ])
    }

    @Test func doctorNamesWhatIsMissingAndTheFix() {
        let scoped = "Link 6 (vmn-web)\nCurrent Scopes: DNS\n     Protocols: -DefaultRoute +LLMNR\n   DNS Servers: 10.140.7.1\n"
        #expect(ResolvedPlanner.finding(Fixtures.web, dnsOutput: registeredDNS, domainOutput: registeredDomain, statusOutput: scoped)
            == .ok("web", "host-resolver", "systemd-resolved sends web.vmnet to 10.140.7.1 on vmn-web"))
        let finding = ResolvedPlanner.finding(Fixtures.web, dnsOutput: registeredDNS, domainOutput: "Link 6 (vmn-web):\n", statusOutput: scoped)
        #expect(finding.status == .fail)
        #expect(finding.detail == "systemd-resolved lacks the routing domain ~web.vmnet on vmn-web: the host does not resolve web.vmnet")
        #expect(finding.fix == "vmnet up web")
        #expect(ResolvedPlanner.query(Fixtures.web) == [["resolvectl", "dns", "vmn-web"], ["resolvectl", "domain", "vmn-web"]])
    }

    @Test func aLinkWithoutScopeIsNotUsed() {
        let unscoped = "Link 6 (vmn-web)\nCurrent Scopes: none\n     Protocols: -DefaultRoute +LLMNR\n"
        #expect(!ResolvedPlanner.hasDNSScope(unscoped))
        #expect(ResolvedPlanner.hasDNSScope("Link 6 (vmn-web)\nCurrent Scopes: DNS LLMNR/IPv4\n"))
        #expect(!ResolvedPlanner.hasDNSScope("Current Scopes: LLMNR/IPv4\n"))
        let finding = ResolvedPlanner.finding(Fixtures.web, dnsOutput: registeredDNS, domainOutput: registeredDomain, statusOutput: unscoped)
        #expect(finding.status == .fail)
        #expect(finding.detail.contains("no DNS scope: the bridge has no carrier"))
        #expect(ResolvedPlanner.statusQuery(Fixtures.web) == ["resolvectl", "status", "vmn-web"])
    }
}
