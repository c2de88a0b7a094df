import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("Firewall, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct FirewallTests {
    @Test func twoIsolatedNatNetworksCannotReachEachOther() throws {
        let world = try VmnetWorld("fi")
        try world.ok("create", "red")
        try world.ok("create", "blue")
        let (red, redLease) = try world.leasedClient(on: "red", hostname: "r")
        let (blue, blueLease) = try world.leasedClient(on: "blue", hostname: "b")
        #expect(try !world.sandbox.ping(from: red, blueLease.address))
        #expect(try !world.sandbox.ping(from: blue, redLease.address))
        #expect(try world.sandbox.ping(from: red, Sandbox.uplinkAddress))
        #expect(try world.sandbox.ping(from: blue, Sandbox.uplinkAddress))
    }

    @Test func networksWithoutIsolationReachEachOther() throws {
        let world = try VmnetWorld("fo")
        try world.addProfile("open", #"{"mode": "nat", "isolation": false}"#)
        try world.ok("create", "one", "--profile", "open")
        try world.ok("create", "two", "--profile", "open")
        let (one, _) = try world.leasedClient(on: "one", hostname: "o")
        let (_, twoLease) = try world.leasedClient(on: "two", hostname: "t")
        #expect(try world.sandbox.ping(from: one, twoLease.address))
    }

    @Test func nftablesRulesetHasMasqueradeAndFullDHCPChecksumsAndNoDuplicates() throws {
        let world = try VmnetWorld("fn")
        try world.ok("create", "web")
        let subnet = try #require(try world.network("web")["subnet"]?.stringValue)
        let table = try #require(try world.nftTable())
        #expect(table.contains("ip saddr @nat_subnets ip daddr != @nat_subnets masquerade"))
        let natSubnets = try world.inHost("nft", "list", "set", "inet", "vmnet", "nat_subnets").standardOutput
        #expect(natSubnets.contains(subnet), "\(natSubnets)")
        // DHCP replies get full checksums: the bridge does not offload them (see IprouteLinkManager).
        let features = try world.inHost("ethtool", "-k", "vmn-web").standardOutput
        #expect(features.contains("tx-checksumming: off"), "\(features)")
        try world.ok("up", "web")
        try world.ok("up", "--all")
        #expect(try world.nftTable() == table)
    }

    @Test func upRebuildsAFlushedRuleset() throws {
        let world = try VmnetWorld("fr")
        try world.ok("create", "drift")
        let table = try #require(try world.nftTable())
        try world.inHost("nft", "flush", "ruleset").requireSuccess("flushing the ruleset")
        let broken = try world.network("drift")
        #expect(broken["state"]?.stringValue == "degraded")
        #expect(broken["problems"]?.arrayValue?.contains("firewall rules are missing") == true)
        try world.ok("up", "drift")
        #expect(try world.nftTable() == table)
        #expect(try world.network("drift")["state"]?.stringValue == "up")
        let (client, _) = try world.leasedClient(on: "drift", hostname: "back")
        #expect(try world.sandbox.ping(from: client, Sandbox.uplinkAddress))
    }

    @Test func iptablesBackendWorksAndIsIdempotent() throws {
        let world = try VmnetWorld("ft")
        try world.ok("create", "old", "--firewall", "iptables")
        #expect(try world.network("old")["firewall"]?.stringValue == "iptables")
        #expect(try world.network("old")["state"]?.stringValue == "up")
        let (client, _) = try world.leasedClient(on: "old", hostname: "legacy")
        #expect(try world.sandbox.ping(from: client, Sandbox.uplinkAddress))
        let rules = try world.iptablesRules()
        #expect(rules.contains("-A VMNET-POSTROUTING -o vmn-old -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill"))
        #expect(rules.contains("-j MASQUERADE"))
        try world.ok("up", "old")
        try world.ok("up", "--all")
        #expect(try world.iptablesRules() == rules)
        try world.ok("destroy", "old")
        #expect(try !world.iptablesRules().contains("VMNET"))
    }

    @Test func mixedBackendsStayIsolated() throws {
        let world = try VmnetWorld("fm")
        try world.ok("create", "nf")
        try world.ok("create", "ipt", "--firewall", "iptables")
        let (nf, nfLease) = try world.leasedClient(on: "nf", hostname: "n")
        let (ipt, iptLease) = try world.leasedClient(on: "ipt", hostname: "i")
        #expect(try !world.sandbox.ping(from: nf, iptLease.address))
        #expect(try !world.sandbox.ping(from: ipt, nfLease.address))
    }
}
