import Foundation
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// `vmnet cluster join|status|leave` on the shared three-host OVN cluster: every host joins and
/// is listed connected; bad input, an unreachable database or a missing ovn-controller change
/// nothing; leave puts the host back as it was and is refused while a port is bound there.
extension OVNClusterSuites {
    @Suite("Cluster membership, end to end")
    struct ClusterMembershipTests {
        /// The local Open_vSwitch row's external_ids, as a map.
        static func externalIDs(_ host: ClusterHost) throws -> [String: String] {
            let listed = try host.vsctl("--format=json", "--columns=external_ids", "list", "Open_vSwitch").requireSuccess("reading external_ids").standardOutput
            let cell = try #require(try JSONCodec.parse(listed, source: "ovs-vsctl")["data"]?.arrayValue?.first?.arrayValue?.first)
            guard case .map(let map)? = OVSDBDatum(json: cell) else { throw VmnetError.failed("external_ids is no map: \(listed)") }
            return map
        }

        static func clusterFile(_ host: ClusterHost) -> String { host.directory + "/vmnet/etc/cluster.json" }

        static func statuses(on host: ClusterHost) throws -> [String: JSONValue] {
            let listed = try host.vmnet("cluster", "status", "--json").requireSuccess("cluster status on \(host.name)").standardOutput
            var byName: [String: JSONValue] = [:]
            for item in try #require(try JSONCodec.parse(listed, source: "status").arrayValue) { byName[item["name"]?.stringValue ?? ""] = item }
            return byName
        }

        @Test func everyHostJoinsAndIsListedConnectedWithItsEncapAddress() throws {
            let cluster = try OVNCluster.get().joinAll()
            let start = ContinuousClock.now
            let statuses = try Self.statuses(on: try cluster.host("h3"))
            let seconds = OVNCluster.seconds(since: start)
            #expect(seconds < 1.5, "status took \(seconds) s with every chassis live")
            #expect(Set(statuses.keys) == ["h1", "h2", "h3"])
            for host in cluster.hosts {
                let status = try #require(statuses[host.name])
                #expect(status["connected"]?.boolValue == true, "\(host.name) not connected")
                #expect(status["encap_ips"]?.arrayValue?.compactMap(\.stringValue) == [host.underlayAddress.description])
                #expect(status["gateway"]?.boolValue == OVNCluster.gatewayHosts.contains(host.name))
            }
            let table = try cluster.host("h1").vmnet("cluster", "status").requireSuccess("status as a table").standardOutput
            #expect(table.hasPrefix("CHASSIS  HOSTNAME  ENCAP-IP"))
            let again = try cluster.central.run([EndToEnd.binary] + cluster.joinArguments(cluster.central))
            #expect(again.status == 0 && again.standardError.contains("already joined"))
        }

        @Test func leaveIsRefusedWhileBoundRestoresAndBadJoinsChangeNothing() throws {
            let cluster = try OVNCluster.get().joinAll()
            let h3 = try cluster.host("h3")
            defer { _ = try? cluster.startController(h3); _ = try? cluster.joinAll() }
            // A vmnet port of a hand-made network, bound on h3 by a plugged guest.
            let port = "vmnet-mtest-vm1"
            try cluster.nbctl("ls-add", "mtest-switch", "--", "lsp-add", "mtest-switch", port, "--", "lsp-set-addresses", port, "02:00:00:00:00:31",
                              "--", "set", "Logical_Switch_Port", port, "external_ids:vmnet-owner=vmnet", "external_ids:vmnet-network=mtest")
                .requireSuccess("adding a vmnet port by hand")
            defer { _ = try? cluster.nbctl("--if-exists", "ls-del", "mtest-switch") }
            let guest = try cluster.plugGuest(on: h3, interfaceID: port, mac: "02:00:00:00:00:31", name: "mtest")
            var unplugged = false
            defer { if !unplugged { try? cluster.unplugGuest(guest) } }
            // And h3's own attachment to a real cluster network.
            let h1 = try cluster.host("h1")
            try h1.vmnet("create", "mnet", "--profile", "ovn-host-only").requireSuccess("creating mnet")
            defer { _ = try? h1.vmnet("destroy", "mnet") }
            try h3.vmnet("up", "mnet").requireSuccess("attaching h3 to mnet")
            let memberInterface = OVNNames.memberInterface(try NetworkName("mnet"))
            #expect(OVNCluster.poll(seconds: 5) {
                (try? Self.statuses(on: h3)["h3"]?["networks"]?.arrayValue?.compactMap(\.stringValue)) == ["mnet", "mtest"]
            })

            let joined = try Self.externalIDs(h3)
            let config = try JSONCodec.parse(try #require(FileSystem.readIfPresent(Self.clusterFile(h3))), source: "cluster.json")
            var expected = joined
            for (key, value) in config["previous"]?.objectValue?.members ?? [] { expected[key] = value.stringValue }
            let refused = try h3.vmnet("cluster", "leave")
            #expect(refused.status == 4)
            #expect(refused.standardError.contains(port) && refused.standardError.contains("vmnet-mnet-host-h3")
                    && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
            #expect(try Self.externalIDs(h3) == joined)

            try h3.vmnet("cluster", "leave", "--force").requireSuccess("leaving with a bound port")
            // Forced out, h3 is detached from mnet: no port in NB, no interface.
            #expect(try cluster.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=vmnet-mnet-host-h3").standardOutput.isEmpty)
            #expect(try h3.run(["ip", "link", "show", memberInterface]).status != 0)
            #expect(try Self.externalIDs(h3) == expected)
            #expect(!FileSystem.exists(Self.clusterFile(h3)))
            #expect(OVNCluster.poll(seconds: 3) { (try? cluster.chassisNames().contains("h3")) == false }, "h3 still in SB")
            try cluster.unplugGuest(guest)
            unplugged = true

            let pristine = try Self.externalIDs(h3)
            func expectNothingChanged(_ result: ProcessResult, status: Int32, naming text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
                #expect(result.status == status, "\(result.standardError)", sourceLocation: sourceLocation)
                #expect(result.standardError.contains(text) && result.standardError.split(separator: "\n").count == 1, "\(result.standardError)",
                        sourceLocation: sourceLocation)
                #expect(try Self.externalIDs(h3) == pristine, sourceLocation: sourceLocation)
                #expect(!FileSystem.exists(Self.clusterFile(h3)), sourceLocation: sourceLocation)
            }
            let encap = h3.underlayAddress.description
            try expectNothingChanged(try h3.vmnet("cluster", "join", "--nb", "172.31.255.11:6641", "--encap-ip", encap), status: 2, naming: "172.31.255.11:6641")
            try expectNothingChanged(try h3.vmnet("cluster", "join", "--nb", "tcp:172.31.255.11:6641", "--encap-ip", "h3"), status: 2, naming: "--encap-ip")
            try expectNothingChanged(try h3.vmnet("cluster", "join", "--nb", "ssl:172.31.255.11:6641", "--encap-ip", encap), status: 2, naming: "--ssl-key")
            try expectNothingChanged(try h3.vmnet("cluster", "join", "--nb", "ssl:172.31.255.11:6641", "--encap-ip", encap, "--ssl-key", "/nonexistent/key.pem",
                                                  "--ssl-cert", "/nonexistent/cert.pem", "--ssl-ca", "/nonexistent/ca.pem"), status: 2, naming: "no such file")
            try expectNothingChanged(try h3.vmnet("cluster", "join", "--nb", "tcp:172.31.255.11:6651", "--encap-ip", encap), status: 1,
                                     naming: "tcp:172.31.255.11:6651")
            try expectNothingChanged(try h3.vmnet("cluster", "join", "--nb", cluster.nbAddress, "--sb", "tcp:172.31.255.11:6652", "--encap-ip", encap),
                                     status: 1, naming: "tcp:172.31.255.11:6652")
            cluster.stopController(h3)
            let start = ContinuousClock.now
            try expectNothingChanged(try h3.run([EndToEnd.binary] + cluster.joinArguments(h3)), status: 1, naming: "did not appear in SB")
            print("join without ovn-controller gave up and rolled back after \(OVNCluster.seconds(since: start)) s")
            try cluster.startController(h3)

            let start2 = ContinuousClock.now
            try cluster.joinAll()
            print("re-join of h3: \(OVNCluster.seconds(since: start2)) s")
            #expect(try Self.statuses(on: try cluster.host("h1"))["h3"]?["connected"]?.boolValue == true)
        }
    }
}
