import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The OVN cluster fixture itself, without vmnet: chassis configured by hand, a logical
/// switch with OVN's DHCP, one guest on h2 and one on h3 that lease and reach each other
/// over geneve, and NB left as it was found.
extension OVNClusterSuites {
    @Suite("OVN cluster harness, end to end", .serialized, .enabled(if: OVNCluster.enabled))
    struct OVNHarnessTests {
        @Test("Guests on two hosts lease from OVN and reach each other; NB is left as found")
        func guestsAcrossHosts() throws {
            let cluster = try OVNCluster.get()
            print("OVN cluster: three hosts up in \(cluster.bootSeconds) s")
            for host in cluster.hosts { #expect(try host.run(["hostname"]).standardOutput == host.name + "\n") }

            let registering = ContinuousClock.now
            for host in cluster.hosts { try cluster.configureChassisByHand(host) }
            let registered = try cluster.waitForChassis(cluster.hosts.map(\.name))
            #expect(registered, "chassis in SB: \((try? cluster.chassisNames()) ?? [])")
            print("OVN cluster: three chassis registered \(OVNCluster.seconds(since: registering)) s after configuring them")
            defer { for host in cluster.hosts { try? cluster.unconfigureChassis(host) } }

            let before = try cluster.nbRowCounts()
            try cluster.nbctl("ls-add", "harness", "--", "set", "Logical_Switch", "harness", "other_config:subnet=10.77.0.0/24")
                .requireSuccess("adding the switch")
            let options = try cluster.nbctl("create", "DHCP_Options", "cidr=10.77.0.0/24",
                                            #"options="lease_time"="3600" "mtu"="1442" "router"="10.77.0.1" "server_id"="10.77.0.1" "server_mac"="02:00:00:77:00:01""#)
                .requireSuccess("adding DHCP options").standardOutput.filter { !$0.isWhitespace }
            let ports = [("harness-a", "02:00:00:77:00:0a", "10.77.0.10", "h2"), ("harness-b", "02:00:00:77:00:0b", "10.77.0.11", "h3")]
            for (port, mac, address, _) in ports {
                try cluster.nbctl("lsp-add", "harness", port, "--", "lsp-set-addresses", port, "\(mac) \(address)",
                                  "--", "lsp-set-dhcpv4-options", port, options).requireSuccess("adding \(port)")
            }
            var guests: [String] = []
            defer { for guest in guests { try? cluster.unplugGuest(guest) } }
            let plugging = ContinuousClock.now
            for (port, mac, _, hostName) in ports {
                guests.append(try cluster.plugGuest(on: try cluster.host(hostName), interfaceID: port, mac: mac, name: port))
            }
            try cluster.waitForSync()
            let leaseA = try #require(try cluster.requestLease(in: guests[0], hostname: "a"), "no lease on h2")
            let leaseB = try #require(try cluster.requestLease(in: guests[1], hostname: "b"), "no lease on h3")
            print("OVN cluster: both guests leased \(OVNCluster.seconds(since: plugging)) s after plugging")
            #expect(leaseA.address.description == "10.77.0.10" && leaseB.address.description == "10.77.0.11")
            #expect(leaseA.mtu == 1442 && leaseA.router?.description == "10.77.0.1")
            #expect(try cluster.ping(from: guests[0], leaseB.address), "h2's guest does not reach h3's")
            try Traffic.startEcho(in: guests[1], sandbox: cluster.sandbox)
            #expect(try Traffic.tcp(from: guests[0], to: leaseB.address, sandbox: cluster.sandbox), "no TCP across hosts")

            for guest in guests { try cluster.unplugGuest(guest) }
            guests = []
            try cluster.nbctl("ls-del", "harness", "--", "destroy", "DHCP_Options", options).requireSuccess("deleting the switch")
            let after = try cluster.nbRowCounts()
            #expect(after == before, "NB: \((try? cluster.nbShow()) ?? "")")
        }

        @Test("A controller or a whole host stops and starts again; vmnet runs on every host")
        func stopAndRestart() throws {
            let cluster = try OVNCluster.get()
            for host in cluster.hosts {
                #expect(try host.vmnet("--version").succeeded, "vmnet on \(host.name)")
                try cluster.configureChassisByHand(host)
            }
            defer { for host in cluster.hosts { try? cluster.unconfigureChassis(host) } }
            #expect(try cluster.waitForChassis(cluster.hosts.map(\.name)))
            try cluster.waitForSync()

            let h3 = try cluster.host("h3")
            cluster.stopController(h3)
            #expect(!h3.isControllerRunning)
            #expect(throws: VmnetError.self) { try cluster.waitForSync(seconds: 1) }
            try cluster.startController(h3)
            try cluster.waitForSync()

            let h2 = try cluster.host("h2")
            let restarting = ContinuousClock.now
            try cluster.restartHost(h2)
            try cluster.waitForSync()
            print("OVN cluster: h2 restarted and in sync again after \(OVNCluster.seconds(since: restarting)) s")
            #expect(try h2.openVSwitchExternalIDs().contains("system-id=h2"))
        }
    }
}
