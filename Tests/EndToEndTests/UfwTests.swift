import Testing
import VmnetCore
import VmnetShell

/// ufw enabled in a shared host namespace, with private copies of its configuration.
final class UfwHost: @unchecked Sendable {
    let shared: SharedHost

    /// Started once per test process, on first use (a static let is initialized once, lazily).
    private static let instance = Result { try UfwHost() }

    static func get() throws -> UfwHost { try instance.get() }

    private init() throws {
        try #require(ExecutableLocator.find("ufw") != nil, "ufw is missing: run scripts/install-deps --test")
        shared = try SharedHost("uf")
        let dir = shared.sandbox.directory
        // ufw's sysctl file is emptied in the copy: the namespace needs none of it.
        let script = """
            set -e
            cp -a /etc/ufw \(dir)/ufw-etc && cp -a /lib/ufw \(dir)/ufw-lib && cp /etc/default/ufw \(dir)/ufw-default
            : > \(dir)/ufw-etc/empty-sysctl.conf
            sed -i 's|^IPT_SYSCTL=.*|IPT_SYSCTL=/etc/ufw/empty-sysctl.conf|' \(dir)/ufw-default
            mount --bind \(dir)/ufw-etc /etc/ufw
            mount --bind \(dir)/ufw-lib /lib/ufw
            mount --bind \(dir)/ufw-default /etc/default/ufw
            ufw "$@"
            """
        try FileSystem.writeAtomically(script, to: dir + "/ufw.sh", mode: 0o755)
        try ufw("--force", "enable").requireSuccess("enabling ufw")
    }

    /// Runs ufw on the shared host with its private configuration.
    @discardableResult
    func ufw(_ arguments: String...) throws -> ProcessResult {
        try shared.sandbox.runner.run(["nsenter", "--net=/run/netns/\(shared.host)", "unshare", "-m", "--propagation", "private",
                                       "sh", shared.sandbox.directory + "/ufw.sh"] + arguments)
    }
}

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
        try world.ok("up", "--all")
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
        // The foreign table is left as it was.
        #expect(try world.inHost("nft", "list", "table", "inet", "filter").standardOutput.contains("policy drop"))
    }
}
