import Testing
import VmnetCore

/// The accept_ra protection: when turning IPv6 forwarding on would take the host's
/// router-advertised default route away, and what `--fix-accept-ra` changes.
@Suite struct AcceptRAGuardTests {
    static let web = try! NetworkName("web")
    static let uplink = IPv6ForwardingState(forwarding: false, raDefaultRoutes: ["eth0"], acceptRA: ["eth0": 1])

    /// What /proc/net/ipv6_route printed in a namespace whose up0 learned a default router
    /// from dnsmasq's advertisements (flags 00450003), beside a static default route on wg0.
    static let procRoutes = """
        20010db8000100000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 004c0001      up0
        fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001      up0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe80000000000000584d54fffec03a4e 00000400 00000001 00000000 00450003      up0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000200000000000000000001 00000400 00000001 00000000 00000003      wg0
        00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001       lo
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
        """

    @Test func routerAdvertisedDefaultRoutesAreReadFromProc() {
        #expect(ProcNetRoute.raDefaultRouteInterfaces(Self.procRoutes) == ["up0"])
        #expect(ProcNetRoute.raDefaultRouteInterfaces("") == [])
    }

    @Test func noRouterAdvertisedRouteTurnsForwardingOnWithoutMore() throws {
        let host = IPv6ForwardingState(forwarding: false, raDefaultRoutes: [], acceptRA: ["eth0": 1])
        #expect(try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: false) == AcceptRAGuard(enablesForwarding: true))
    }

    @Test func aRouteOnAcceptRA1IsRefusedNamingTheInterfaceAndBothWaysOut() {
        do {
            _ = try AcceptRAGuard.decide(needing: [Self.web], host: Self.uplink, fix: false)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .conflict)
            #expect(!error.message.contains("\n"))
            #expect(error.message.hasPrefix("turning on IPv6 forwarding for 'web': eth0 takes its default route from router advertisements"))
            #expect(error.message.contains("--fix-accept-ra") && error.message.contains("\"ipv6\": \"off\""))
        }
    }

    @Test func everyInterfaceAtRiskIsNamed() {
        let host = IPv6ForwardingState(raDefaultRoutes: ["wlan0", "eth0", "eth1"], acceptRA: ["eth0": 1, "wlan0": 1, "eth1": 2])
        #expect(throws: VmnetError.self) { try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: false) }
        do { _ = try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: false) } catch {
            #expect(error.message.contains(": eth0, wlan0 take their default routes"), "\(error.message)")
        }
    }

    @Test func theFixSetsAcceptRA2OnExactlyThoseInterfaces() throws {
        let host = IPv6ForwardingState(raDefaultRoutes: ["eth0", "eth1"], acceptRA: ["eth0": 1, "eth1": 2, "wlan0": 1])
        let decision = try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: true)
        #expect(decision == AcceptRAGuard(enablesForwarding: true, acceptRA2: ["eth0"]))
        #expect(decision.notice?.hasPrefix("set net.ipv6.conf.eth0.accept_ra=2 so the host keeps") == true)
        #expect(AcceptRAGuard(enablesForwarding: true).notice == nil)
    }

    @Test func acceptRA2Or0IsFine() throws {
        for value in [0, 2] {
            let host = IPv6ForwardingState(raDefaultRoutes: ["eth0"], acceptRA: ["eth0": value])
            #expect(try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: false) == AcceptRAGuard(enablesForwarding: true))
        }
    }

    @Test func forwardingAlreadyOnNeedsNoCheck() throws {
        var host = Self.uplink
        host.forwarding = true
        #expect(try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: false) == .unchanged)
        #expect(try AcceptRAGuard.decide(needing: [Self.web], host: host, fix: true) == .unchanged)
    }

    @Test func onlyNatNetworksWithIPv6NeedForwarding() {
        // IPv6 off (subnet6 nil) never checks; host-only does not forward, for IPv6 as for IPv4.
        #expect(AcceptRAGuard.needing([Fixtures.web, Fixtures.web6, Fixtures.lab, Fixtures.lab6]).map(\.value) == ["web6"])
        #expect(AcceptRAGuard.needing([Fixtures.web, Fixtures.lab6]).isEmpty)
    }

    @Test func noNetworkNeedingForwardingChecksNothing() throws {
        #expect(try AcceptRAGuard.decide(needing: [], host: Self.uplink, fix: false) == .unchanged)
    }
}

/// Doctor's `ip6-forward` and `host-accept-ra` checks.
@Suite struct AcceptRADiagnosisTests {
    @Test func ipv6ForwardingOffFailsForNatNetworksWithIPv6Only() {
        var host = DoctorDiagnosisTests.healthyHost()
        host.ipv6Forwarding = false
        let observed = DoctorDiagnosisTests.healthyNetwork()
        func failing(_ record: NetworkRecord) -> [String] {
            NetworkDiagnosis.findings(for: record, observed: observed, host: host, networks: [record]).filter { $0.status != .ok && $0.check.contains("forward") }.map(\.check)
        }
        let dualStack = Fixtures.network("web", subnet: "10.140.7.0/24", subnet6: "fd42:1:2:7::/64")
        #expect(failing(dualStack) == ["ip6-forward"])
        #expect(failing(Fixtures.network("web", subnet: "10.140.7.0/24")) == [])
        #expect(failing(Fixtures.network("web", subnet: "10.140.7.0/24", mode: .hostOnly, subnet6: "fd42:1:2:7::/64")) == [])
        host.ipv6Forwarding = true
        let findings = NetworkDiagnosis.findings(for: dualStack, observed: observed, host: host, networks: [dualStack])
        #expect(findings.first { $0.check == "ip6-forward" }?.status == .ok)
    }

    @Test func anInterfaceIgnoringAdvertisementsUnderForwardingIsAWarning() throws {
        let host = IPv6ForwardingState(forwarding: true, raDefaultRoutes: ["eth0", "eth1"], acceptRA: ["eth0": 1, "eth1": 2])
        let finding = try #require(AcceptRADiagnosis.finding(host, relevant: false))
        #expect(finding.status == .warn && finding.network == nil && finding.check == "host-accept-ra")
        #expect(finding.detail.contains("eth0 has accept_ra=1") && !finding.detail.contains("eth1"))
        #expect(finding.fix == "sysctl -w net.ipv6.conf.eth0.accept_ra=2")
    }

    @Test func withForwardingOffOrAcceptRA2ItIsOkOrSilent() {
        let off = IPv6ForwardingState(forwarding: false, raDefaultRoutes: ["eth0"], acceptRA: ["eth0": 1])
        #expect(AcceptRADiagnosis.finding(off, relevant: false) == nil)
        #expect(AcceptRADiagnosis.finding(off, relevant: true)?.status == .ok)
        let fixed = IPv6ForwardingState(forwarding: true, raDefaultRoutes: ["eth0"], acceptRA: ["eth0": 2])
        #expect(AcceptRADiagnosis.finding(fixed, relevant: true)?.status == .ok)
    }
}
