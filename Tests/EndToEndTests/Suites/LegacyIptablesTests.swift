import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("iptables-legacy drops, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct LegacyIptablesTests {
    /// A host whose firewall lives in the legacy tables (older Docker, hand-made scripts):
    /// vmnet's accepts go there, whatever vmnet's own backend.
    @Test func natWorksThroughLegacyDropPoliciesAndLeavesNothingBehind() throws {
        let world = try VmnetWorld("lg")
        let sandbox = world.sandbox
        for policy in [["-P", "INPUT", "DROP"], ["-P", "FORWARD", "DROP"], ["-A", "INPUT", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"]] {
            try sandbox.run(in: world.host, ["iptables-legacy"] + policy).requireSuccess("setting up the legacy table")
        }
        let before = try world.inHost("iptables-legacy-save", "-t", "filter").standardOutput.split(separator: "\n").filter { !$0.hasPrefix("#") }
        try Traffic.startEcho(in: world.uplink, sandbox: sandbox)
        try world.ok("create", "old")
        let (first, _) = try world.leasedClient(on: "old", hostname: "a")
        let (second, secondLease) = try world.leasedClient(on: "old", hostname: "b")
        #expect(try sandbox.resolve(from: first, "x." + Sandbox.fakeDomain, server: try world.gateway("old")) == Sandbox.fakeAnswer)
        #expect(try Traffic.tcp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        #expect(try Traffic.udp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        try Traffic.startEcho(in: second, sandbox: sandbox)
        #expect(try Traffic.tcp(from: first, to: secondLease.address, sandbox: sandbox))
        #expect(try world.inHost("iptables-legacy-save", "-t", "filter").standardOutput.contains("vmnet:old"))
        try world.ok("destroy", "old")
        let after = try world.inHost("iptables-legacy-save", "-t", "filter").standardOutput.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(after == before)
    }
}
