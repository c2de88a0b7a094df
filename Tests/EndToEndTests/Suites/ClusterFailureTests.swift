import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A member going away: the others keep working, the lost host's guests lose their ports and
/// nothing else, and vmnet on the remaining members still lists, shows and names it.
extension OVNClusterSuites {
    @Suite("Cluster failures, end to end")
    struct ClusterFailureTests {
        @Test func aMemberGoingAwayLeavesTheOthersWorking() throws {
            let cluster = try OVNCluster.get().joinAll()
            let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
            let lab = try ScratchClusterNetwork("cf-lab", on: cluster)
            var addresses: [String: IPv4Address] = [:]
            for (index, (name, host)) in [("on-h1", h1), ("on-h2", h2), ("on-h3", h3)].enumerated() {
                let (guest, _) = try lab.plugVM(name, mac: "52:54:00:cf:00:0\(index + 1)", on: host)
                addresses[name] = try #require(try cluster.requestLease(in: guest, hostname: name), "\(name) got no lease").address
            }
            let guests = lab.guests
            try Traffic.startEcho(in: guests[1], sandbox: cluster.sandbox)

            cluster.stopHost(h3)
            var restarted = false
            defer { if !restarted { try? cluster.restartHost(h3) } }
            // h1's guest still reaches h2's (TCP across hosts), and no longer h3's.
            #expect(try Traffic.tcp(from: guests[0], to: try #require(addresses["on-h2"]), sandbox: cluster.sandbox), "h1 ↔ h2 broke when h3 went away")
            #expect(try !cluster.ping(from: guests[0], try #require(addresses["on-h3"])))
            // vmnet on the remaining members: list and show work; status and doctor name h3.
            #expect(try h2.vmnet("show", "cf-lab").succeeded)
            let status = try h1.vmnet("cluster", "status", "--json").requireSuccess("status without h3").standardOutput
            let h3Row = try #require(try JSONCodec.parse(status, source: "status").arrayValue?.first { $0["name"]?.stringValue == "h3" })
            #expect(h3Row["connected"]?.boolValue == false, "\(h3Row)")

            try cluster.restartHost(h3)
            restarted = true
            #expect(OVNCluster.poll(seconds: 10) { (try? cluster.ping(from: guests[0], addresses["on-h3"]!)) == true }, "h3's guest did not come back")
            try lab.finish()
        }
    }
}
