import Foundation
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

extension OVNClusterSuites {
    /// doctor's OVN checks on the shared cluster: a healthy cluster network passes them all; an
    /// unplugged guest's port, a stopped ovn-controller and a DHCP MTU too large for geneve are
    /// each named; a host that never joined runs none of them.
    @Suite("Cluster doctor, end to end")
    struct ClusterDoctorTests {
        /// check → (status, detail) of `vmnet doctor ARGS --json` on `host`.
        static func findings(on host: ClusterHost, _ arguments: String...) throws -> [String: (status: String, detail: String)] {
            let result = try host.run([EndToEnd.binary, "doctor", "--json"] + arguments)
            var found: [String: (String, String)] = [:]
            for item in try #require(try JSONCodec.parse(result.standardOutput, source: "doctor").arrayValue, "\(result.standardError)") {
                guard let check = item["check"]?.stringValue, check.hasPrefix("ovn-") else { continue }
                found[check] = (item["status"]?.stringValue ?? "", item["detail"]?.stringValue ?? "")
            }
            return found
        }

        @Test func eachOVNFaultIsNamedAndAHealthyNetworkPasses() throws {
            let cluster = try OVNCluster.get().joinAll()
            let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
            try h1.vmnet("create", "dtest", "--profile", "ovn-host-only").requireSuccess("creating dtest")
            defer { _ = try? h1.vmnet("destroy", "dtest") }
            try cluster.waitForSync()

            // Other suites' networks destroyed from elsewhere may have left h2 attached: up --all prunes them.
            try h2.vmnet("up", "--all").requireSuccess("up --all on h2")
            let healthy = try Self.findings(on: h2, "dtest")
            // h2 is a gateway (joinAll): ovn-forwards is its check too.
            #expect(Set(healthy.keys) == ["ovn-nb", "ovn-chassis", "ovn-tunnels", "ovn-forwards", "ovn-attachments", "ovn-ports", "ovn-mtu"])
            for (check, finding) in healthy { #expect(finding.status == "ok", "\(check): \(finding.detail)") }
            #expect(healthy["ovn-tunnels"]?.detail == "geneve tunnels to h1, h3")
            #expect(healthy["ovn-mtu"]?.detail == "DHCP MTU 1442 fits br-phy's 1500 less geneve's 58")

            // A guest's port, bound while plugged, unbound once its guest is gone.
            let port = "vmnet-dtest-vm1"
            try cluster.nbctl("lsp-add", "vmnet-dtest", port, "--", "lsp-set-addresses", port, "02:00:00:00:00:41",
                              "--", "set", "Logical_Switch_Port", port, "external_ids:vmnet-owner=vmnet", "external_ids:vmnet-network=dtest",
                              "external_ids:vmnet-version=1").requireSuccess("adding a guest port by hand")
            let guest = try cluster.plugGuest(on: h3, interfaceID: port, mac: "02:00:00:00:00:41", name: "dtest")
            var plugged = true
            defer { if plugged { try? cluster.unplugGuest(guest) } }
            try cluster.waitForSync()
            // h1's own port (create attached it) is up beside the guest's.
            #expect(try Self.findings(on: h1, "dtest")["ovn-ports"]?.detail == "up: vmnet-dtest-host-h1 on h1, \(port) on h3")
            try cluster.unplugGuest(guest)
            plugged = false
            #expect(OVNCluster.poll(seconds: 3) { (try? Self.findings(on: h1, "dtest")["ovn-ports"]?.status) == "warn" })
            #expect(try Self.findings(on: h1, "dtest")["ovn-ports"]?.detail == "not bound to any chassis: \(port)")
            try cluster.nbctl("lsp-del", port).requireSuccess("removing the guest port")

            // A DHCP MTU geneve cannot carry.
            let options = try cluster.nbctl("--bare", "--columns=_uuid", "find", "DHCP_Options", "external_ids:vmnet-network=dtest")
                .requireSuccess("finding dtest's DHCP options").standardOutput.split(whereSeparator: \.isNewline).map(String.init)
            let dhcp = try #require(options.first { !(try cluster.nbctl("get", "DHCP_Options", $0, "cidr").standardOutput.contains(":")) })
            try cluster.nbctl("set", "DHCP_Options", dhcp, "options:mtu=1500").requireSuccess("raising the MTU")
            let tooLarge = try Self.findings(on: h2, "dtest")["ovn-mtu"]
            try cluster.nbctl("set", "DHCP_Options", dhcp, "options:mtu=1442").requireSuccess("restoring the MTU")
            #expect(tooLarge?.status == "fail")
            #expect(tooLarge?.detail.contains("DHCP gives MTU 1500, more than 1442") == true, "\(tooLarge?.detail ?? "")")

            // A stopped ovn-controller, as doctor on its own host and on the plain `vmnet doctor` see it.
            cluster.stopController(h3)
            var stopped = true
            defer { if stopped { try? cluster.startController(h3) } }
            let start = ContinuousClock.now
            let chassis = try Self.findings(on: h3)["ovn-chassis"]
            print("doctor with h3's ovn-controller stopped: \(OVNCluster.seconds(since: start)) s")
            #expect(chassis?.status == "fail")
            #expect(chassis?.detail.contains("chassis h3's ovn-controller did not apply") == true, "\(chassis?.detail ?? "")")
            try cluster.startController(h3)
            stopped = false
            #expect(OVNCluster.poll(seconds: 5) { (try? Self.findings(on: h3)["ovn-chassis"]?.status) == "ok" })
        }

        @Test func aHostThatNeverJoinedRunsNoOVNCheck() throws {
            let cluster = try OVNCluster.get().joinAll()
            let h3 = try cluster.host("h3")
            defer { _ = try? cluster.joinAll() }
            try h3.vmnet("cluster", "leave", "--force").requireSuccess("leaving")
            #expect(try Self.findings(on: h3).isEmpty)
            #expect(try Self.findings(on: try cluster.host("h2")).keys.contains("ovn-chassis"))
        }
    }
}
