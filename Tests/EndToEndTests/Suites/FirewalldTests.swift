import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("firewalld, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct FirewalldTests {
    @Test func natWorksInFirewalldsZoneAlsoAfterReloadAndDestroyLeavesItsConfiguration() throws {
        let firewalld = try FirewalldHost.get()
        let world = firewalld.shared.world(environment: firewalld.environment)
        let sandbox = world.sandbox
        let configuration = try firewalld.configurationSnapshot()

        try world.ok("create", "fweb")
        try world.ok("create", "fother")
        let zone = try firewalld.firewallCmd("--get-zone-of-interface=vmn-fweb").standardOutput
        #expect(zone.hasPrefix("trusted"), "\(zone)")
        for phase in ["created", "reloaded"] {
            let (first, _) = try world.leasedClient(on: "fweb", hostname: "\(phase)a")
            let (second, secondLease) = try world.leasedClient(on: "fweb", hostname: "\(phase)b")
            let (other, otherLease) = try world.leasedClient(on: "fother", hostname: "\(phase)c")
            #expect(try sandbox.resolve(from: first, "x." + Sandbox.fakeDomain, server: try world.gateway("fweb")) == Sandbox.fakeAnswer, "\(phase)")
            #expect(try Traffic.tcp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox), "\(phase)")
            #expect(try Traffic.udp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox), "\(phase)")
            try Traffic.startEcho(in: second, sandbox: sandbox)
            #expect(try Traffic.tcp(from: first, to: secondLease.address, sandbox: sandbox), "\(phase)")
            // firewalld's accept does not open what vmnet's own table rejects.
            try Traffic.startEcho(in: other, sandbox: sandbox)
            #expect(try !Traffic.tcp(from: first, to: otherLease.address, sandbox: sandbox), "\(phase)")
            if phase == "created" {
                try firewalld.firewallCmd("--reload").requireSuccess("reloading firewalld")
                let kept = try firewalld.firewallCmd("--get-zone-of-interface=vmn-fweb").standardOutput
                #expect(kept.hasPrefix("trusted"), "after --reload: \(kept)")
            }
        }

        // Taken out of the zone behind vmnet's back: doctor names it, `up` puts it back.
        #expect(try world.doctor("fweb").checks["host-firewalld"] == "ok")
        try firewalld.firewallCmd("--zone=trusted", "--remove-interface=vmn-fweb").requireSuccess("removing the bridge from its zone")
        let outOfZone = try world.doctor("fweb")
        #expect(outOfZone.status == 1 && outOfZone.checks["host-firewalld"] == "fail", "\(outOfZone.details)")
        try world.ok("up", "fweb")
        #expect(try world.doctor("fweb").checks["host-firewalld"] == "ok")

        try world.ok("destroy", "fweb", "fother")
        #expect(try firewalld.firewallCmd("--zone=trusted", "--list-interfaces").standardOutput.trimmingWhitespace == "")
        #expect(try firewalld.configurationSnapshot() == configuration)
    }
}

extension String {
    var trimmingWhitespace: String { String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
}
