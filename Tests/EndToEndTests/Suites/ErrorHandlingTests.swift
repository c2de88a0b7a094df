import Testing
import VmnetCore
import VmnetShell

@Suite("Bad input and failures change nothing, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ErrorHandlingTests {
    /// Each case: arguments, expected exit status, a phrase the one-line message contains.
    static let badInputs: [([String], Int32, String)] = [
        (["create", "Bad_Name"], 2, "network name 'Bad_Name' is not valid"),
        (["create", String(repeating: "a", count: 33)], 2, "at most 32"),
        (["create", "x", "--subnet", "10.1.2.3/24"], 2, "did you mean 10.1.2.0/24"),
        (["create", "x", "--subnet", "banana"], 2, "not an IPv4 CIDR"),
        (["create", "x", "--subnet", "10.9.0.0/30"], 2, "prefix length"),
        (["create", "x", "--subnet", "8.8.8.0/24"], 2, "8.8.8.0/24 is public address space"),
        (["create", "x", "--profile", "nope"], 3, "profile 'nope' not found"),
        (["create", "x", "--firewall", "pf"], 2, "firewall 'pf'"),
        (["create", "x", "--mtu", "100"], 2, "MTU 100"),
        (["create", "x", "--bridge", "this-name-is-too-long"], 2, "bridge name"),
        (["create", "x", "--subnet6", "fd42::1/64"], 2, "did you mean fd42::/64"),
        (["create", "x", "--subnet6", "banana"], 2, "not an IPv6 CIDR"),
        (["create", "x", "--subnet6", "fd42:1:2::/48"], 2, "give a /64"),
        (["create", "x", "--subnet6", "fd42:1:2:3::/64", "--no-ipv6"], 2, "contradict"),
        (["up", "missing"], 3, "network 'missing' does not exist"),
        (["show", "missing"], 3, "network 'missing' does not exist"),
        (["up"], 2, "--all"),
        (["frobnicate"], 2, "frobnicate"),
    ]

    @Test func badInputGetsOneLineAndChangesNothing() throws {
        let world = try VmnetWorld("eb")
        try world.ok("create", "base")
        let before = try world.footprint()
        for (arguments, status, phrase) in ErrorHandlingTests.badInputs {
            let result = try world.vmnet(arguments)
            #expect(result.status == status, "vmnet \(arguments.joined(separator: " ")): \(result.standardError)")
            #expect(result.standardError.contains(phrase), "vmnet \(arguments.joined(separator: " ")): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
        let after = try world.footprint()
        #expect(after == before, "before:\n\(before)\nafter:\n\(after)")
    }

    /// A host with IPv6 turned off: a dual-stack network is refused before any effect, naming
    /// the switch and the way out; an IPv4-only one works; a bridge whose own IPv6 went off
    /// makes `up` refuse the same way.
    @Test func aHostWithIPv6OffRefusesDualStackInOneLine() throws {
        let world = try VmnetWorld("e6")
        try world.inHost("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1").requireSuccess("turning IPv6 off for new links")
        let before = try world.footprint()
        let refused = try world.vmnet("create", "dual")
        #expect(refused.status == 6 && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("net.ipv6.conf.default.disable_ipv6 is 1") && refused.standardError.contains("--no-ipv6"))
        #expect(try world.footprint() == before)
        #expect(!FileSystem.exists(world.stateDirectory + "/ula.json"))
        try world.ok("create", "plain", "--no-ipv6")
        #expect(try world.network("plain")["subnet6"]?.isNull == true)
        try world.inHost("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=0").requireSuccess("turning IPv6 back on")
        try world.ok("create", "dual")
        try world.inHost("sysctl", "-qw", "net.ipv6.conf.\(try world.bridge("dual")).disable_ipv6=1").requireSuccess("turning the bridge's IPv6 off")
        let up = try world.vmnet("up", "dual")
        #expect(up.status == 6 && up.standardError.contains("disable_ipv6 is 1") && up.standardError.contains("destroy it and create it again with --no-ipv6"), "\(up.standardError)")
    }

    @Test func aBrokenProfileIsNamedByFileLineAndKey() throws {
        let world = try VmnetWorld("ep")
        try world.addProfile("broken", "{\n  \"mode\": \"nat\",\n  \"prefix_length\": 40\n}\n")
        let result = try world.vmnet("create", "x", "--profile", "broken")
        #expect(result.status == 2)
        #expect(result.standardError.contains("profiles/broken.json:3: prefix_length:"), "\(result.standardError)")
        try world.addProfile("typo", "{\n  \"mode\": \"nat\",\n  \"isolaton\": true\n}\n")
        let typo = try world.vmnet("create", "x", "--profile", "typo")
        #expect(typo.standardError.contains("typo.json:3: isolaton: unknown key"), "\(typo.standardError)")
        try world.addProfile("syntax", "{\n  \"mode\": \"nat\"\n  \"mtu\": 1400\n}\n")
        let syntax = try world.vmnet("create", "x", "--profile", "syntax")
        #expect(syntax.standardError.contains("syntax.json:3:"), "\(syntax.standardError)")
        #expect(try world.footprint().contains("networks=\n"))
    }

    @Test func aFailedCreateIsRolledBack() throws {
        let world = try VmnetWorld("er")
        try world.ok("create", "stays")
        let before = try world.footprint()
        // A run directory that cannot be created makes dnsmasq's step fail after the bridge
        // and rules were made: all of it must be undone.
        let blocker = world.sandbox.directory + "/not-a-directory"
        try FileSystem.writeAtomically("", to: blocker)
        let result = try world.vmnet(["create", "doomed"], environment: ["VMNET_RUN_DIR": blocker])
        #expect(result.status != 0)
        #expect(result.standardError.split(separator: "\n").count == 1)
        let after = try world.footprint()
        #expect(after == before, "before:\n\(before)\nafter:\n\(after)")
        #expect(try world.network("stays")["state"]?.stringValue == "up")
    }
}
