import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("vmnet set, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct SetTests {
    private func leaseFile(_ world: VmnetWorld, _ name: String) -> String { world.stateDirectory + "/networks/\(name)/leases" }

    private func dnsmasqPid(_ world: VmnetWorld, _ name: String) throws -> Int? { try world.network(name)["dnsmasq_pid"]?.intValue }

    private func linkMTU(_ world: VmnetWorld, _ link: String) throws -> Int? {
        let words = try world.inHost("ip", "-o", "link", "show", "dev", link).standardOutput.split(separator: " ")
        return words.firstIndex(of: "mtu").flatMap { Int(words[$0 + 1]) }
    }

    @Test func leaseTimeAndMTUReachARenewingClientAndTheLeasesStay() throws {
        let world = try VmnetWorld("set-lm")
        try world.ok("create", "proj")
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "web")
        #expect(lease.leaseTime == 3600 && lease.mtu == nil)
        let pid = try dnsmasqPid(world, "proj")
        let output = try world.ok("set", "proj", "lease_time=10m", "mtu=9000").standardOutput
        #expect(output.contains("proj: lease_time: 1h -> 10m: dnsmasq restarted (leases kept)"), "\(output)")
        #expect(output.contains("proj: mtu: 1500 -> 9000: bridge MTU set, dnsmasq restarted (leases kept)"), "\(output)")
        #expect(try dnsmasqPid(world, "proj") != pid)
        // The restarted dnsmasq read the lease file it had: the client's lease is still in it.
        #expect((FileSystem.readIfPresent(leaseFile(world, "proj")) ?? "").contains(" \(lease.address) web "))
        #expect(try linkMTU(world, try world.bridge("proj")) == 9000)
        let renewed = try #require(try world.sandbox.requestLease(in: client, hostname: "web"))
        #expect(renewed.address == lease.address && renewed.leaseTime == 600 && renewed.mtu == 9000)
        let record = try world.network("proj")
        #expect(record["mtu"]?.intValue == 9000 && record["lease_time"]?.stringValue == "10m")
    }

    @Test func upstreamAndIsolationChangeAndANoOpTouchesNothing() throws {
        let world = try VmnetWorld("set-di")
        try world.ok("create", "proj")
        let gateway = try world.gateway("proj")
        let (client, _) = try world.leasedClient(on: "proj", hostname: "web")
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == Sandbox.fakeAnswer)
        // A second upstream on the uplink that answers differently.
        let otherAnswer = IPv4Address("203.0.113.9")!
        try world.sandbox.run(in: world.uplink, ["ip", "address", "add", "198.51.100.3/24", "dev", "up0"]).requireSuccess("addressing up0")
        try world.sandbox.run(in: world.uplink, [
            "dnsmasq", "--bind-interfaces", "--listen-address=198.51.100.3", "--except-interface=lo", "--conf-file=/dev/null", "--no-resolv",
            "--no-hosts", "--address=/\(Sandbox.fakeDomain)/\(otherAnswer)", "--pid-file=\(world.sandbox.directory)/other-upstream.pid",
        ]).requireSuccess("starting the second upstream")
        let upstream = try world.ok("set", "proj", "dns_upstream=198.51.100.3").standardOutput
        #expect(upstream.contains("dns_upstream: auto -> 198.51.100.3: dnsmasq restarted (leases kept)"), "\(upstream)")
        #expect(try world.sandbox.resolve(from: client, "www.example.test", server: gateway) == otherAnswer)

        // Everything already as asked: no SIGHUP, no restart, no rule rewritten.
        let pid = try dnsmasqPid(world, "proj")
        let rules = try world.nftTable()
        let config = FileSystem.readIfPresent(world.runDirectory + "/proj/dnsmasq.conf")
        let same = try world.ok("set", "proj", "dns_upstream=198.51.100.3", "isolation=true", "lease_time=1h", "mtu=1500")
        #expect(same.standardOutput == "proj: nothing to change\n")
        #expect(try dnsmasqPid(world, "proj") == pid)
        #expect(try world.nftTable() == rules)
        #expect(FileSystem.readIfPresent(world.runDirectory + "/proj/dnsmasq.conf") == config)

        let bridge = try world.bridge("proj")
        #expect(rules?.contains("\"\(bridge)\"") == true)
        let open = try world.ok("set", "proj", "isolation=false").standardOutput
        #expect(open.contains("isolation: true -> false: firewall rules updated"), "\(open)")
        let opened = try world.nftTable()
        #expect(opened != rules)
        #expect(try dnsmasqPid(world, "proj") == pid)
        try world.ok("set", "proj", "isolation=true")
        #expect(try world.nftTable() == rules)
    }

    @Test func badInputChangesNothing() throws {
        let world = try VmnetWorld("set-bad")
        try world.ok("create", "proj")
        let before = try world.footprint()
        let record = try world.network("proj")
        for arguments in [["colour=blue"], ["mtu=100"], ["lease_time=soon"], ["isolation=maybe"], ["dns_upstream=8.8.8"],
                          ["subnet=10.141.60.0/24"], ["mtu=9000", "lease_time=1x"]] {
            let result = try world.vmnet(["set", "proj"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
        #expect(try world.vmnet("set", "proj", "subnet=10.141.60.0/24").standardError.contains("--replace"))
        #expect(try world.vmnet("set", "nosuch", "mtu=9000").status == 3)
        #expect(try world.footprint() == before)
        #expect(try world.network("proj") == record)
    }

    @Test func aNetworkThatIsDownGetsItAtTheNextUp() throws {
        let world = try VmnetWorld("set-down")
        try world.ok("create", "proj")
        try world.ok("down", "proj")
        let output = try world.ok("set", "proj", "mtu=4000").standardOutput
        #expect(output.contains("mtu: 1500 -> 4000: recorded; applies at the next 'vmnet up'"), "\(output)")
        let bridge = try world.bridge("proj")
        #expect(try !world.links().contains(bridge))
        try world.ok("up", "proj")
        #expect(try linkMTU(world, try world.bridge("proj")) == 4000)
    }

    @Test func replaceMovesTheNetworkAndItsGuestRenewsInTheNewSubnet() throws {
        let world = try VmnetWorld("set-sub")
        try world.ok("create", "proj", "--subnet", "10.141.50.0/24")
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "web")
        #expect(IPv4Subnet("10.141.50.0/24")!.contains(lease.address))
        let output = try world.ok("set", "proj", "subnet=10.141.70.0/24", "--replace").standardOutput
        #expect(output.contains("subnet: 10.141.50.0/24 -> 10.141.70.0/24: network brought up on the new subnet (guests must renew their leases)"), "\(output)")
        #expect(try world.network("proj")["subnet"]?.stringValue == "10.141.70.0/24")
        let addresses = try world.inHost("ip", "-o", "-4", "address", "show", "dev", try world.bridge("proj")).standardOutput
        #expect(addresses.contains("10.141.70.1/24") && !addresses.contains("10.141.50.1"), "\(addresses)")
        // The guest's port was attached to the new bridge again: it renews into the new subnet.
        let renewed = try #require(try world.sandbox.requestLease(in: client, hostname: "web"))
        #expect(IPv4Subnet("10.141.70.0/24")!.contains(renewed.address) && renewed.router == IPv4Address("10.141.70.1")!)
        let fresh = try world.ok("set", "proj", "subnet=auto", "--replace").standardOutput
        #expect(fresh.contains("subnet: 10.141.70.0/24 -> "), "\(fresh)")
        #expect(try world.network("proj")["subnet"]?.stringValue != "10.141.70.0/24")
    }
}
