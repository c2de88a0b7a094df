import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// IPv6 on a cluster network, from OVN itself: router advertisements from the router port and
/// the guest's reserved address by DHCPv6 (ISC dhclient -6), then IPv6 across hosts.
extension OVNClusterSuites {
    @Suite("Cluster IPv6, end to end")
    struct ClusterIPv6Tests {
        @Test func guestsLeaseTheirReservedIPv6FromOVNAndReachEachOtherAcrossHosts() throws {
            try IPv6Clients.require(["dhclient", "rdisc6"])
            let cluster = try OVNCluster.get().joinAll()
            let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
            let lab = try ScratchClusterNetwork("c6-lab", on: cluster)
            let shown = try JSONCodec.parse(try h1.vmnet("show", "c6-lab", "--json").requireSuccess("show").standardOutput, source: "show")
            let subnet6 = try #require(shown["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) }, "no /64: \(shown)")
            var reserved: [String: IPv6Address] = [:]
            for (name, host, mac) in [("v6a", h2, "52:54:00:c6:00:01"), ("v6b", h3, "52:54:00:c6:00:02")] {
                let (_, added) = try lab.plugVM(name, mac: mac, on: host, extra: ["--json"])
                let reservation = try JSONCodec.parse(added.standardOutput, source: "host add")
                reserved[name] = try #require(reservation["ip6"]?.stringValue.flatMap { IPv6Address($0) }, "\(added.standardOutput)")
            }
            let guests = lab.guests
            try cluster.waitForSync()
            for (index, name) in ["v6a", "v6b"].enumerated() {
                let advertisement = try #require(try IPv6Clients.solicit(in: guests[index], sandbox: cluster.sandbox), "no router advertisement for \(name)")
                #expect(advertisement.contains("Stateful address conf.") && advertisement.contains("Yes"), "\(advertisement)")
                let leased = try IPv6Clients.dhclient(in: guests[index], hostname: name, sandbox: cluster.sandbox)
                #expect(leased == reserved[name], "\(name) leased \(String(describing: leased)), reserved \(String(describing: reserved[name]))")
                #expect(leased.map { subnet6.contains($0) } ?? false)
            }
            let target = try #require(reserved["v6b"])
            let reached = OVNCluster.poll(seconds: 5) {
                (try? cluster.sandbox.run(in: guests[0], ["busybox", "ping", "-6", "-c", "1", "-W", "1", target.description]).succeeded) == true
            }
            #expect(reached, "v6a on h2 does not reach v6b on h3 over IPv6")
            try lab.finish()
        }
    }
}
