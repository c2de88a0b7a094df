import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("ufw, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct UfwTests {
    @Test func natHostOnlyAndIsolationWorkWithUfwEnabled() throws {
        let ufw = try UfwHost.get()
        let world = ufw.shared.world()
        let sandbox = world.sandbox
        let policies = try world.inHost("iptables", "-S").standardOutput
        try #require(policies.contains("-P INPUT DROP") && policies.contains("-P FORWARD DROP") && policies.contains("ufw-before-input"), "\(policies)")

        try world.ok("create", "uweb")
        // The other network uses vmnet's iptables backend: its VMNET-FORWARD then runs after
        // vmnet's accepts at the top of FORWARD, which must not open it.
        try world.ok("create", "uother", "--firewall", "iptables")
        try world.ok("create", "uhost", "--profile", "host-only")
        let (first, _) = try world.leasedClient(on: "uweb", hostname: "one")
        let (second, secondLease) = try world.leasedClient(on: "uweb", hostname: "two")
        let (other, otherLease) = try world.leasedClient(on: "uother", hostname: "three")
        let (hostOnly, _) = try world.leasedClient(on: "uhost", hostname: "four")
        let gateway = try world.gateway("uweb")

        // DNS over UDP and TCP through the gateway; a guest's own name too.
        #expect(try sandbox.resolve(from: first, "a." + Sandbox.fakeDomain, server: gateway) == Sandbox.fakeAnswer)
        let tcpDNS = try sandbox.run(in: first, ["dig", "+tcp", "+short", "+time=2", "+tries=1", "@\(gateway)", "b." + Sandbox.fakeDomain])
        #expect(tcpDNS.standardOutput.contains(Sandbox.fakeAnswer.description), "\(tcpDNS.standardOutput)")
        // NAT out, and guests of one bridge, by TCP and UDP.
        #expect(try Traffic.tcp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        #expect(try Traffic.udp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        try Traffic.startEcho(in: second, sandbox: sandbox)
        #expect(try Traffic.tcp(from: first, to: secondLease.address, sandbox: sandbox))
        #expect(try Traffic.udp(from: first, to: secondLease.address, sandbox: sandbox))
        // Isolation between networks and host-only's no way out still hold.
        try Traffic.startEcho(in: other, sandbox: sandbox)
        #expect(try !Traffic.tcp(from: first, to: otherLease.address, sandbox: sandbox))
        #expect(try !Traffic.udp(from: first, to: otherLease.address, sandbox: sandbox))
        #expect(try !Traffic.tcp(from: hostOnly, to: Sandbox.uplinkAddress, sandbox: sandbox))
        #expect(try !Traffic.udp(from: hostOnly, to: Sandbox.uplinkAddress, sandbox: sandbox))

        // Rules someone removed come back with `up`, and in the same place.
        let rules = try world.inHost("iptables-save", "-t", "filter").standardOutput
        let mine = rules.split(separator: "\n").filter { $0.contains("vmnet") }
        #expect(mine.contains("-A INPUT -m comment --comment vmnet -j VMNET-COEXIST-IN"), "\(rules)")
        #expect(mine.contains("-A FORWARD -m comment --comment vmnet -j VMNET-COEXIST-FWD"), "\(rules)")
        try world.inHost("iptables", "-D", "INPUT", "-m", "comment", "--comment", "vmnet", "-j", "VMNET-COEXIST-IN").requireSuccess("removing a jump")
        try world.inHost("iptables", "-F", "VMNET-COEXIST-FWD").requireSuccess("flushing a chain")
        let missing = try world.doctor("uweb")
        #expect(missing.status == 1 && missing.checks["host-iptables"] == "fail", "\(missing.details)")
        try world.ok("up", "--all")
        #expect(try world.doctor("uweb").checks["host-iptables"] == "ok")
        let restored = try world.inHost("iptables-save", "-t", "filter").standardOutput.split(separator: "\n").filter { $0.contains("vmnet") }
        #expect(restored == mine)
        try ufw.ufw("reload").requireSuccess("reloading ufw")
        try world.ok("up", "--all")
        #expect(try world.inHost("iptables-save", "-t", "filter").standardOutput.split(separator: "\n").filter { $0.contains("vmnet") } == mine)
        #expect(try Traffic.tcp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        #expect(try !Traffic.tcp(from: first, to: otherLease.address, sandbox: sandbox))

        try ufw.ufw("disable").requireSuccess("disabling ufw")
        try world.ok("destroy", "uweb", "uother", "uhost")
        let after = try world.inHost("iptables-save").standardOutput
        #expect(!after.contains("vmnet") && !after.contains("VMNET"), "\(after)")
        try ufw.ufw("--force", "enable").requireSuccess("enabling ufw again")
    }

    @Test func aSandboxGuestIsRefusedTheHostAndTheLANButReachesTheUplinkBesideUfw() throws {
        try PolicyTests.checkSandboxBesideAnotherFirewall(try UfwHost.get().shared.world(), "usand")
    }
}

@Suite("Foreign nftables tables, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ForeignNftTests {
    @Test func createWarnsOnceAboutAForwardChainWithPolicyDrop() throws {
        let world = try VmnetWorld("fx")
        try world.inHost("nft", "add table inet filter; add chain inet filter forward { type filter hook forward priority 0; policy drop; }")
            .requireSuccess("adding a foreign table")
        let result = try world.vmnet("create", "web")
        #expect(result.succeeded, "\(result.standardError)")
        let warnings = result.standardError.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1, "\(result.standardError)")
        #expect(warnings.first?.contains("'inet filter forward'") == true)
        #expect(warnings.first?.contains("nft insert rule inet filter forward iifname \"vmn-web\" accept") == true)
        let verdict = try world.doctor("web")
        #expect(verdict.status == 1 && verdict.checks["host-nftables"] == "fail", "\(verdict.details)")
        #expect(verdict.details["host-nftables"]?.contains("inet filter forward") == true)
        // The foreign table is left as it was.
        #expect(try world.inHost("nft", "list", "table", "inet", "filter").standardOutput.contains("policy drop"))
    }
}
