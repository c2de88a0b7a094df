import Foundation
import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The way out of NAT cluster networks on the shared three-host cluster: h1 and h2 have
/// uplinks to the fake internet and join as gateways, h3 holds the guests.
extension OVNClusterSuites {
    @Suite("Cluster gateways, end to end")
    struct ClusterGatewayTests {
        /// Answers each TCP connection with the source address it saw: which gateway's masquerade.
        static let sourceServer = """
            import socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", int(sys.argv[1])))
            s.listen(64)
            while True:
                c, peer = s.accept()
                c.sendall(peer[0].encode())
                c.close()
            """
        static let sourceClient = """
            import socket, sys
            try:
                s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
                print(s.recv(100).decode())
            except OSError:
                sys.exit(1)
            """
        static let sourcePort = 7079

        /// Source address the internet saw from `guest`, nil when nothing got through.
        static func seenSource(_ cluster: OVNCluster, from guest: String, client: String, timeout: Double = 1) throws -> String? {
            let result = try cluster.sandbox.run(in: guest, [Traffic.python, client, "198.51.100.2", "\(sourcePort)", "\(timeout)"])
            let seen = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return result.status == 0 && !seen.isEmpty ? seen : nil
        }

        @Test func aNATNetworkGetsOutThroughItsGatewayAndFailsOverToTheNext() throws {
            let cluster = try OVNClusterSuites.ClusterNetworkTests.joinedCluster()
            let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
            let before = try cluster.nbRowCounts()
            let shownBefore = try cluster.nbShow()
            // h2 first: h1 holds the central databases, so stopping it would stop the cluster.
            try h1.vmnet("create", "gw-nat", "--cluster", "--no-ipv6", "--gateway", "h2,h1").requireSuccess("creating gw-nat")
            try h1.vmnet("create", "gw-lab", "--profile", "ovn-host-only", "--no-ipv6").requireSuccess("creating gw-lab")
            let networks = try ClusterNetworkTests.networks(on: h3)

            let directory = cluster.sandbox.directory
            let server = directory + "/source-server.py", client = directory + "/source-client.py"
            try Self.sourceServer.write(toFile: server, atomically: true, encoding: .utf8)
            try Self.sourceClient.write(toFile: client, atomically: true, encoding: .utf8)
            let pidFile = directory + "/source-server.pid"
            try cluster.sandbox.run(in: cluster.internet, ["sh", "-c", "\(Traffic.python) \(server) \(Self.sourcePort) </dev/null >/dev/null 2>&1 & echo $! > \(pidFile)"])
                .requireSuccess("starting the source server")
            var guests: [String: String] = [:]
            var h2Stopped = false
            defer {
                if h2Stopped { try? cluster.restartHost(h2) }
                for guest in guests.values { try? cluster.unplugGuest(guest) }
                if let pid = FileSystem.readIfPresent(pidFile).flatMap({ pid_t($0.filter { !$0.isWhitespace }) }) { kill(pid, SIGKILL) }
                _ = try? h1.vmnet("destroy", "gw-nat", "gw-lab")
            }
            for (index, network) in ["gw-nat", "gw-lab"].enumerated() {
                let subnet = try #require(networks[network]?["subnet"]?.stringValue.flatMap { IPv4Subnet($0) })
                let mac = "02:00:00:c2:00:0\(index + 1)"
                try ClusterNetworkTests.addPort(cluster, network: network, port: "\(network)-vm1", mac: mac, ip: subnet.host(10), subnet: subnet.description)
                guests[network] = try cluster.plugGuest(on: h3, interfaceID: "\(network)-vm1", mac: mac, name: "\(network)-vm1")
            }
            try cluster.waitForSync()
            for (network, guest) in guests { _ = try #require(try cluster.requestLease(in: guest, hostname: "vm1"), "no lease on \(network)") }

            let natGuest = try #require(guests["gw-nat"]), labGuest = try #require(guests["gw-lab"])
            // The first connection may wait for the gateway's flows and ARP (seconds on a loaded machine).
            let outThroughH2 = OVNCluster.poll(seconds: 10) { (try? Self.seenSource(cluster, from: natGuest, client: client, timeout: 2)) == h2.uplinkAddress?.description }
            #expect(outThroughH2, "the NAT guest did not get out through h2")
            #expect(try Self.seenSource(cluster, from: labGuest, client: client) == nil, "a host-only guest got out")

            // h2's daemons stop: new connections get out through h1 once BFD declares h2 down.
            let stopped = ContinuousClock.now
            cluster.stopHost(h2)
            h2Stopped = true
            var seen: String?
            let failedOver = OVNCluster.poll(seconds: 20) {
                seen = try? Self.seenSource(cluster, from: natGuest, client: client, timeout: 0.5)
                return seen == h1.uplinkAddress?.description
            }
            let outage = OVNCluster.seconds(since: stopped)
            print("gateway failover h2 → h1: new connections out again after \(String(format: "%.2f", outage)) s")
            #expect(failedOver, "still no way out through h1 (last seen \(seen ?? "nothing"))")

            let restarted = ContinuousClock.now
            try cluster.restartHost(h2)
            h2Stopped = false
            let failedBack = OVNCluster.poll(seconds: 20) { (try? Self.seenSource(cluster, from: natGuest, client: client, timeout: 0.5)) == h2.uplinkAddress?.description }
            print("gateway failback h1 → h2: after \(String(format: "%.2f", OVNCluster.seconds(since: restarted))) s")
            #expect(failedBack)

            for guest in guests.values { try cluster.unplugGuest(guest) }
            guests = [:]
            try h2.vmnet("destroy", "gw-nat", "gw-lab").requireSuccess("destroying")
            #expect(try cluster.nbShow() == shownBefore, "ovn-nbctl show differs after destroy")
            var after = try cluster.nbRowCounts()
            after["NB_Global"] = before["NB_Global"]
            #expect(after == before)
            #expect(try cluster.nbctl("--bare", "--columns=name", "find", "Logical_Switch", "name=vmnet-external").standardOutput.isEmpty)
        }

        @Test func gatewaysMustBeRegisteredGatewayChassis() throws {
            let cluster = try OVNClusterSuites.ClusterNetworkTests.joinedCluster()
            let h1 = try cluster.host("h1")
            let before = try cluster.nbRowCounts()
            for gateways in ["h3", "nowhere", "h1,h1"] {
                let result = try h1.vmnet("create", "gw-bad", "--cluster", "--gateway", gateways)
                #expect(result.status == 2, "\(gateways): \(result.standardError)")
                #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            }
            #expect(try cluster.nbRowCounts() == before)
        }
    }
}
