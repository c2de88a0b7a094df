import Foundation
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// Cluster networks on the shared three-host OVN cluster: made on one member, seen and used on
/// the others, allocated without collisions across hosts, destroyed without a trace.
extension OVNClusterSuites {
    @Suite("Cluster networks, end to end")
    struct ClusterNetworkTests {
        static func joinedCluster() throws -> OVNCluster {
            try OVNCluster.get().joinAll()
        }

        static func networks(on host: ClusterHost) throws -> [String: JSONValue] {
            let listed = try host.vmnet("list", "--json").requireSuccess("listing on \(host.name)").standardOutput
            var byName: [String: JSONValue] = [:]
            for item in try #require(try JSONCodec.parse(listed, source: "list").arrayValue) {
                if let name = item["name"]?.stringValue { byName[name] = item }
            }
            return byName
        }

        /// A VM port made by hand as `host add` will: "MAC IP" and the network's DHCPv4 options.
        static func addPort(_ cluster: OVNCluster, network: String, port: String, mac: String, ip: IPv4Address, subnet: String) throws {
            let options = try cluster.nbctl("--bare", "--columns=_uuid", "find", "DHCP_Options", "cidr=\"\(subnet)\"")
                .requireSuccess("finding the DHCP options").standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            try cluster.nbctl("lsp-add", "vmnet-\(network)", port, "--", "lsp-set-addresses", port, "\(mac) \(ip)",
                              "--", "lsp-set-dhcpv4-options", port, options).requireSuccess("adding port \(port)")
        }

        @Test func aNetworkMadeOnOneMemberIsSeenAndLeasedOnTheOthers() throws {
            let cluster = try Self.joinedCluster()
            let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
            let before = try cluster.nbRowCounts()
            let shownBefore = try cluster.nbShow()
            try h1.vmnet("create", "cn-lab", "--profile", "ovn-host-only").requireSuccess("creating cn-lab")
            try h1.vmnet("create", "cn-shop", "--cluster").requireSuccess("creating cn-shop")
            let again = try h1.vmnet("create", "cn-shop", "--cluster")
            #expect(again.status == 0 && again.standardOutput.hasPrefix("exists:"), "\(again.standardOutput)")

            let onH1 = try Self.networks(on: h1)
            for host in [h2, h3] {
                let seen = try Self.networks(on: host)
                for name in ["cn-lab", "cn-shop"] {
                    #expect(seen[name]?["engine"]?.stringValue == "ovn")
                    #expect(seen[name]?["subnet"] == onH1[name]?["subnet"])
                }
                // Nothing recorded on the members: NB is the record.
                #expect(!FileSystem.exists(host.directory + "/vmnet/state/networks/cn-shop"))
            }
            let shown = try JSONCodec.parse(try h3.vmnet("show", "cn-shop", "--json").requireSuccess("show").standardOutput, source: "show")
            #expect(shown["mtu"]?.intValue == 1442)
            #expect(shown["gateways"]?.arrayValue?.first?.stringValue == "h1")

            var guests: [String] = []
            defer { for guest in guests { try? cluster.unplugGuest(guest) } }
            for (network, router) in [("cn-shop", true), ("cn-lab", false)] {
                let subnet = try #require(onH1[network]?["subnet"]?.stringValue.flatMap { IPv4Subnet($0) })
                let ip = subnet.host(10), mac = router ? "02:00:00:c1:00:0a" : "02:00:00:c1:00:0b"
                try Self.addPort(cluster, network: network, port: "\(network)-vm1", mac: mac, ip: ip, subnet: subnet.description)
                let guest = try cluster.plugGuest(on: h3, interfaceID: "\(network)-vm1", mac: mac, name: "\(network)-vm1")
                guests.append(guest)
                try cluster.waitForSync()
                let lease = try #require(try cluster.requestLease(in: guest, hostname: "vm1"), "no lease on \(network)")
                #expect(lease.address == ip)
                #expect(lease.router == (router ? subnet.host(1) : nil))
                #expect(lease.mtu == 1442)
                let domain = try cluster.nbctl("--bare", "--columns=options", "find", "DHCP_Options", "cidr=\"\(subnet)\"").standardOutput
                #expect(domain.contains("domain_name=\"\(network).vmnet\""), "\(domain)")
                let leases = try h2.vmnet("leases", network).requireSuccess("leases").standardOutput
                #expect(leases.contains("\(network)-vm1") && leases.contains(ip.description), "\(leases)")
            }

            // Destroyed from another member than the one that made them: NB as before.
            for guest in guests { try cluster.unplugGuest(guest) }
            guests = []
            try h2.vmnet("destroy", "cn-shop", "cn-lab").requireSuccess("destroying")
            #expect(try cluster.nbShow() == shownBefore, "ovn-nbctl show differs after destroy")
            var after = try cluster.nbRowCounts()
            after["NB_Global"] = before["NB_Global"]
            #expect(after == before)
            let gone = try h2.vmnet("destroy", "cn-shop")
            #expect(gone.status == 0 && gone.standardError.contains("does not exist"))
        }

        @Test func twoHostsCreatingAtOnceGetDistinctSubnets() throws {
            let cluster = try Self.joinedCluster()
            let (h1, h2) = (try cluster.host("h1"), try cluster.host("h2"))
            let names = ["h1": (0..<5).map { "cn-a\($0)" }, "h2": (0..<5).map { "cn-b\($0)" }]
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let host = index == 0 ? h1 : h2
                for name in names[host.name]! {
                    do {
                        let result = try host.vmnet("create", name, "--cluster", "--no-ipv6")
                        if result.status != 0 { failures.add("\(name): \(result.standardError)") }
                    } catch { failures.add("\(name): \(error)") }
                }
            }
            #expect(failures.all.isEmpty, "\(failures.all)")
            let listed = try Self.networks(on: h1)
            let all = names.values.flatMap { $0 }
            let subnets = Set(all.compactMap { listed[$0]?["subnet"]?.stringValue })
            #expect(subnets.count == 10, "\(subnets)")
            try h1.run([EndToEnd.binary, "destroy"] + all).requireSuccess("destroying the ten")
        }

        @Test func badInputAndAnUnreachableDatabaseChangeNothing() throws {
            let cluster = try Self.joinedCluster()
            let h1 = try cluster.host("h1")
            let before = try cluster.nbRowCounts()
            let notJoined = h1.directory + "/vmnet-unjoined"
            let cases: [([String], [String: String], Int32)] = [
                (["create", "cn-x", "--cluster", "--profile", "nope"], [:], 3),
                (["create", "cn-x", "--gateway", "h1"], [:], 2),
                (["create", "cn-x", "--profile", "ovn-host-only", "--gateway", "h1"], [:], 2),
                (["create", "cn-x", "--cluster"], ["VMNET_CONFIG_DIR": notJoined + "/etc", "VMNET_STATE_DIR": notJoined + "/state"], 4),
                (["create", "cn-x", "--cluster"], ["OVN_NB_DB": "tcp:\(cluster.central.underlayAddress):1"], 1),
                (["list"], ["OVN_NB_DB": "tcp:\(cluster.central.underlayAddress):1"], 1),
            ]
            for (arguments, environment, status) in cases {
                let result = try h1.run([EndToEnd.binary] + arguments, environment: environment)
                #expect(result.status == status, "\(arguments): \(result.standardError)")
                #expect(result.standardError.split(separator: "\n").count == 1, "\(arguments): \(result.standardError)")
            }
            #expect(try cluster.nbRowCounts() == before)
        }

        /// After a reboot a member's OVS port and kernel side are gone; the unit's `up --all`
        /// puts back exactly the attachments NB records for this chassis.
        @Test func upAllPutsBackThisMembersAttachments() throws {
            let cluster = try Self.joinedCluster()
            let h2 = try cluster.host("h2")
            let before = try cluster.nbRowCounts()
            try h2.vmnet("create", "cn-boot", "--profile", "ovn-host-only").requireSuccess("creating cn-boot")
            defer { _ = try? h2.vmnet("destroy", "cn-boot") }
            let interface = OVNNames.memberInterface(try NetworkName("cn-boot"))
            let address = { () throws -> String in try h2.run(["ip", "-o", "-4", "address", "show", "dev", interface]).standardOutput }
            #expect(try address().contains("inet "))
            // What a reboot leaves: the port gone from br-int, no interface.
            try h2.vsctl("--if-exists", "del-port", "br-int", interface).requireSuccess("removing the member port")
            #expect(try !h2.run(["ip", "link", "show", interface]).succeeded)
            let up = try h2.vmnet("up", "--all").requireSuccess("up --all")
            #expect(up.standardOutput.contains("cn-boot"), "\(up.standardOutput)")
            #expect(try address().contains("inet "))
            try h2.vmnet("destroy", "cn-boot").requireSuccess("destroying cn-boot")
            #expect(try !h2.run(["ip", "link", "show", interface]).succeeded)
            #expect(try cluster.nbRowCounts() == before)
        }

        /// A network destroyed on another member leaves this member's port on br-int: doctor
        /// names it, `up --all` removes it.
        @Test func aNetworkDestroyedElsewhereLeavesNoAttachmentAfterUpAll() throws {
            let cluster = try Self.joinedCluster()
            let (h1, h3) = (try cluster.host("h1"), try cluster.host("h3"))
            try h3.vmnet("up", "--all").requireSuccess("pruning what other suites left on h3")
            try h1.vmnet("create", "cn-gone", "--profile", "ovn-host-only").requireSuccess("creating cn-gone")
            try h3.vmnet("up", "cn-gone").requireSuccess("attaching h3")
            let interface = OVNNames.memberInterface(try NetworkName("cn-gone"))
            try h1.vmnet("destroy", "cn-gone").requireSuccess("destroying cn-gone on h1")
            #expect(try h3.run(["ip", "link", "show", interface]).succeeded, "h3's side went by itself")
            let doctor = try h3.vmnet("doctor", "--json").standardOutput
            let finding = try #require(try JSONCodec.parse(doctor, source: "doctor").arrayValue?.first { $0["check"]?.stringValue == "ovn-attachments" })
            #expect(finding["status"]?.stringValue == "warn" && (finding["detail"]?.stringValue ?? "").contains(interface), "\(finding)")
            let up = try h3.vmnet("up", "--all").requireSuccess("up --all on h3")
            #expect(up.standardError.contains(interface), "\(up.standardError)")
            #expect(try !h3.run(["ip", "link", "show", interface]).succeeded)
            #expect(try h3.run(["nft", "list", "table", "inet", "vmnet-cluster"]).standardOutput.contains("member-forward") == false)
        }

        /// Failures collected from concurrent creates.
        final class Failures: @unchecked Sendable {
            private let lock = NSLock()
            private var items: [String] = []

            func add(_ item: String) { lock.withLock { items.append(item) } }
            var all: [String] { lock.withLock { items } }
        }
    }
}
