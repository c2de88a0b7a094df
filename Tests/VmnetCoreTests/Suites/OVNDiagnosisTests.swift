import Testing
import VmnetCore

/// doctor's OVN verdicts: each names what is wrong and says how to fix it.
@Suite struct OVNDiagnosisTests {
    @Test func theDatabasesAndTheChassis() {
        #expect(OVNDiagnosis.northbound(address: "tcp:192.0.2.1:6641", failure: nil).status == .ok)
        let down = OVNDiagnosis.northbound(address: "tcp:192.0.2.1:6641", failure: "cannot reach it")
        #expect(down.status == .fail && down.network == nil && down.fix != nil)
        #expect(OVNDiagnosis.chassis("h2", southbound: "tcp:192.0.2.1:6642", registered: true, connected: true).status == .ok)
        let stopped = OVNDiagnosis.chassis("h2", southbound: "tcp:192.0.2.1:6642", registered: true, connected: false)
        #expect(stopped.status == .fail)
        #expect(stopped.detail == "chassis h2's ovn-controller did not apply a northbound change within 2 s: it is stopped or cut off from tcp:192.0.2.1:6642")
        #expect(OVNDiagnosis.chassis("h2", southbound: "tcp:192.0.2.1:6642", registered: false, connected: false).detail.contains("not in the southbound"))
    }

    @Test func aTunnelToEveryOtherChassis() {
        #expect(OVNDiagnosis.tunnels(others: [:], remotes: []).detail == "no other chassis")
        #expect(OVNDiagnosis.tunnels(others: ["h1": ["172.31.255.11"], "h3": ["172.31.255.13"]], remotes: ["172.31.255.11", "172.31.255.13"]).status == .ok)
        let missing = OVNDiagnosis.tunnels(others: ["h1": ["172.31.255.11"], "h3": ["172.31.255.13"]], remotes: ["172.31.255.11"])
        #expect(missing.status == .fail)
        #expect(missing.detail == "no geneve tunnel on br-int to chassis h3 (172.31.255.13)")
    }

    @Test func anUnboundPortNamesItself() {
        let ports = [OVNDiagnosis.Port(name: "vmnet-web-vm1", up: true, chassis: "h2"), OVNDiagnosis.Port(name: "vmnet-web-vm2", up: false, chassis: nil)]
        let verdict = OVNDiagnosis.ports(network: "web", ports)
        #expect(verdict.status == .warn && verdict.network == "web")
        #expect(verdict.detail == "not bound to any chassis: vmnet-web-vm2")
        #expect(OVNDiagnosis.ports(network: "web", [ports[0]]).detail == "up: vmnet-web-vm1 on h2")
    }

    @Test func theDHCPMTUFitsGeneveOnTheUnderlay() {
        #expect(OVNDiagnosis.mtu(network: "web", dhcpMTU: 1442, underlayInterface: "br-phy", underlayMTU: 1500).status == .ok)
        let high = OVNDiagnosis.mtu(network: "web", dhcpMTU: 1500, underlayInterface: "br-phy", underlayMTU: 1500)
        #expect(high.status == .fail)
        #expect(high.detail == "DHCP gives MTU 1500, more than 1442 (br-phy's 1500 less geneve's 58): TCP between hosts stalls")
        #expect(OVNDiagnosis.mtu(network: "web", dhcpMTU: nil, underlayInterface: "br-phy", underlayMTU: 1500).status == .fail)
        #expect(OVNDiagnosis.mtu(network: "web", dhcpMTU: 1442, underlayInterface: nil, underlayMTU: nil).status == .warn)
    }
}
