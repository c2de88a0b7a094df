import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("Lifecycle, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct LifecycleTests {
    @Test func natNetworkGivesLeaseNamesAndReachesTheUplink() throws {
        let world = try VmnetWorld("lc")
        try world.ok("create", "proj")
        let network = try world.network("proj")
        #expect(network["state"]?.stringValue == "up")
        // Creating it again changes nothing, and says the state it is in, whatever the flags.
        let again = try world.ok("create", "proj", "--no-start").standardOutput
        #expect(again.contains(", up, "), "\(again)")
        #expect(network["mode"]?.stringValue == "nat")
        #expect(network["domain"]?.stringValue == "proj.vmnet")
        #expect(network["dnsmasq_pid"]?.intValue != nil)
        let gateway = try world.gateway("proj")
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "web")
        let start = try #require(network["dhcp_range"]?["start"]?.stringValue.flatMap { IPv4Address($0) })
        let end = try #require(network["dhcp_range"]?["end"]?.stringValue.flatMap { IPv4Address($0) })
        #expect(IPv4Range(start: start, end: end).contains(lease.address))
        #expect(lease.router == gateway)
        #expect(try world.sandbox.resolve(from: client, "web.proj.vmnet", server: gateway) == lease.address)
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == Sandbox.fakeAnswer)
        #expect(try world.sandbox.ping(from: client, Sandbox.uplinkAddress))
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("1"))
    }

    @Test func hostOnlyNetworkHandsOutNoRouterAndForwardsNothing() throws {
        let world = try VmnetWorld("ho")
        try world.ok("create", "lab", "--profile", "host-only")
        let gateway = try world.gateway("lab")
        let (client, lease) = try world.leasedClient(on: "lab", hostname: "vm1")
        #expect(lease.router == nil)
        #expect(try world.sandbox.resolve(from: client, "vm1.lab.vmnet", server: gateway) == lease.address)
        #expect(try world.sandbox.ping(from: client, gateway))
        try world.sandbox.run(in: client, ["ip", "route", "replace", "default", "via", gateway.description]).requireSuccess("routing")
        #expect(try !world.sandbox.ping(from: client, Sandbox.uplinkAddress))
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("0"))
    }

    @Test func dnsmasqListensOnTheBridgeOnly() throws {
        let world = try VmnetWorld("ls")
        try world.ok("create", "one")
        let gateway = try world.gateway("one")
        let gateway6 = try #require(try world.gateway6("one"))
        let sockets = try world.inHost("ss", "-H", "-l", "-n", "-u", "-t", "-p").standardOutput
        let dnsmasqSockets = sockets.split(separator: "\n").filter { $0.contains("dnsmasq") }
        #expect(!dnsmasqSockets.isEmpty)
        for socket in dnsmasqSockets {
            let local = socket.split(whereSeparator: { $0 == " " }).dropFirst(4).first.map(String.init) ?? ""
            // DHCPv4 and DHCPv6 sockets are bound to the device, DNS to the gateways and to the
            // bridge's link-local address (scoped to the bridge).
            #expect(local.hasPrefix("\(gateway):") || local.hasPrefix("[\(gateway6)]:") || local.hasPrefix("0.0.0.0%vmn-one:") || local.hasPrefix("[::]%vmn-one:")
                    || local.hasPrefix("*%vmn-one:") || (local.hasPrefix("[fe80:") && local.contains("]%vmn-one:")), "dnsmasq listens on \(local)")
        }
    }

    @Test func upTwiceLeavesTheSameRulesAndProcess() throws {
        let world = try VmnetWorld("ut")
        try world.ok("create", "a")
        try world.ok("create", "b", "--profile", "host-only")
        let rules = try world.nftTable()
        let pid = try world.network("a")["dnsmasq_pid"]
        try world.ok("up", "--all")
        try world.ok("up", "a")
        #expect(try world.nftTable() == rules)
        #expect(try world.network("a")["dnsmasq_pid"] == pid)
        // create again with the same options is a no-op too
        try world.ok("create", "a")
        #expect(try world.nftTable() == rules)
    }

    @Test func downKeepsSubnetAndLeasesAndUpRestoresThem() throws {
        let world = try VmnetWorld("du")
        try world.ok("create", "keep")
        let subnet = try world.network("keep")["subnet"]
        let (_, lease) = try world.leasedClient(on: "keep", hostname: "box")
        let leaseFile = world.stateDirectory + "/networks/keep/leases"
        #expect(FileSystem.readIfPresent(leaseFile)?.contains(lease.address.description) == true)

        // The client is still attached: without --force, down refuses (see GuestTests).
        try world.ok("down", "keep", "--force")
        let down = try world.network("keep")
        #expect(down["state"]?.stringValue == "down")
        #expect(down["dnsmasq_pid"] == .null)
        #expect(try !world.links().contains("vmn-keep"))
        // vmnet's table stays while networks are recorded, but holds nothing of this one.
        #expect(try world.nftTable()?.contains("vmn-keep") != true)
        #expect(try world.hostPids().isEmpty)
        #expect(FileSystem.readIfPresent(leaseFile)?.contains(lease.address.description) == true)

        try world.ok("up", "keep")
        #expect(try world.network("keep")["subnet"] == subnet)
        #expect(try world.network("keep")["state"]?.stringValue == "up")
        #expect(FileSystem.readIfPresent(leaseFile)?.contains(lease.address.description) == true)
    }

    @Test func destroyLeavesNothingAndFreesTheSubnet() throws {
        let world = try VmnetWorld("de")
        let empty = try world.footprint()
        try world.ok("create", "gone")
        let subnet = try #require(try world.network("gone")["subnet"]?.stringValue)
        _ = try world.leasedClient(on: "gone", hostname: "x")
        try world.ok("destroy", "gone")
        #expect(try world.footprint() == empty)
        #expect(!FileSystem.exists(world.stateDirectory + "/networks/gone"))
        #expect(!FileSystem.exists(world.runDirectory + "/gone"))
        // Turned on for NAT, never off again (other tools may rely on it by now).
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("1"))
        // The subnet is free again, and destroying twice is fine.
        try world.ok("create", "again", "--subnet", subnet)
        try world.ok("destroy", "again")
        let twice = try world.vmnet("destroy", "again")
        #expect(twice.status == 0)
        #expect(twice.standardError.contains("does not exist"))
    }

    @Test func mtuIsSetOnTheBridgeAndForcedOnClients() throws {
        let world = try VmnetWorld("mt")
        try world.ok("create", "jumbo", "--mtu", "1400")
        #expect(try world.inHost("ip", "-o", "link", "show", "vmn-jumbo").standardOutput.contains("mtu 1400"))
        let (_, lease) = try world.leasedClient(on: "jumbo", hostname: "m")
        #expect(lease.mtu == 1400)
    }

    @Test func degradedNetworksAreReportedAndRepairedByUp() throws {
        let world = try VmnetWorld("dg")
        try world.ok("create", "fix")
        let pid = try #require(try world.network("fix")["dnsmasq_pid"]?.intValue)
        try world.sandbox.runner.run(["kill", String(pid)]).requireSuccess("killing dnsmasq")
        var status = try world.network("fix")
        #expect(status["state"]?.stringValue == "degraded")
        #expect(status["problems"]?.arrayValue?.contains("dnsmasq is not running") == true)
        try world.ok("up", "fix")
        #expect(try world.network("fix")["state"]?.stringValue == "up")

        try world.inHost("ip", "link", "delete", "vmn-fix").requireSuccess("deleting the bridge")
        status = try world.network("fix")
        #expect(status["state"]?.stringValue == "degraded")
        try world.ok("up", "fix")
        #expect(try world.network("fix")["state"]?.stringValue == "up")
        _ = try world.leasedClient(on: "fix", hostname: "after")
    }

    @Test func listShowsATableAndJSON() throws {
        let world = try VmnetWorld("li")
        try world.ok("create", "alpha")
        try world.ok("create", "beta", "--profile", "host-only", "--no-start")
        let table = try world.ok("list").standardOutput.split(separator: "\n")
        #expect(table.first?.hasPrefix("NAME ") == true)
        #expect(table.count == 3)
        #expect(table[1].contains("alpha") && table[1].contains(" up "))
        #expect(table[2].contains("beta") && table[2].contains(" down "))
        let stateColumn = table[0].firstRange(of: "STATE")!.lowerBound
        let offset = table[0].distance(from: table[0].startIndex, to: stateColumn)
        #expect(table.dropFirst().allSatisfy { $0.dropFirst(offset).hasPrefix("up") || $0.dropFirst(offset).hasPrefix("down") })
        let list = try world.networks()
        #expect(list.map { $0["name"]?.stringValue } == ["alpha", "beta"])
        for key in ["name", "profile", "mode", "bridge", "subnet", "gateway", "dhcp_range", "domain", "mtu", "state", "dnsmasq_pid"] {
            #expect(list.allSatisfy { $0[key] != nil }, "missing \(key)")
        }
    }

    @Test func sixteenConcurrentCreatesGetDistinctSubnets() throws {
        let world = try VmnetWorld("cc")
        let script = (1...16).map { "VMNET_STATE_DIR=\(world.stateDirectory) VMNET_RUN_DIR=\(world.runDirectory) VMNET_CONFIG_DIR=\(world.environment["VMNET_CONFIG_DIR"]!) \(EndToEnd.binary) create n\($0) >/dev/null &" }
            .joined(separator: "\n") + "\nfail=0; for job in $(jobs -p); do wait $job || fail=1; done; exit $fail\n"
        try world.inHost("sh", "-c", script).requireSuccess("16 concurrent creates")
        let networks = try world.networks()
        #expect(networks.count == 16)
        #expect(Set(networks.compactMap { $0["subnet"]?.stringValue }).count == 16)
        #expect(Set(networks.compactMap { $0["bridge"]?.stringValue }).count == 16)
        #expect(networks.allSatisfy { $0["state"]?.stringValue == "up" }, "\(networks.filter { $0["state"]?.stringValue != "up" })")
    }

    @Test func theSelftestCommandPasses() throws {
        try EndToEnd.requirePrerequisites()
        let result = try SpawnRunner().run([EndToEnd.binary, "selftest"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("selftest passed"))
    }
}
