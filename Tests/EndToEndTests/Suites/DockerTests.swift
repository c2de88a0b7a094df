import JSON
import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("Docker, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct DockerTests {
    /// Leases, resolves, reaches the uplink by TCP and UDP, and reaches a second guest by TCP.
    static func checkNetwork(_ world: VmnetWorld, _ name: String, tag: String) throws {
        let sandbox = world.sandbox
        let (first, _) = try world.leasedClient(on: name, hostname: "\(tag)a")
        let (second, secondLease) = try world.leasedClient(on: name, hostname: "\(tag)b")
        #expect(try sandbox.resolve(from: first, "x." + Sandbox.fakeDomain, server: try world.gateway(name)) == Sandbox.fakeAnswer)
        #expect(try Traffic.tcp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        #expect(try Traffic.udp(from: first, to: Sandbox.uplinkAddress, sandbox: sandbox))
        try Traffic.startEcho(in: second, sandbox: sandbox)
        #expect(try Traffic.tcp(from: first, to: secondLease.address, sandbox: sandbox))
    }

    @Test func natWorksWhenDockerStartedFirstAndAfterDockerRestarts() throws {
        let docker = try DockerHost.get()
        let world = docker.shared.world()
        let before = try world.inHost("iptables", "-S").standardOutput
        try #require(before.contains("-P FORWARD DROP") && before.contains("DOCKER-USER"), "\(before)")

        try world.ok("create", "dweb")
        defer { _ = try? world.vmnet("destroy", "dweb") }
        let rules = try world.inHost("iptables", "-S", "DOCKER-USER").standardOutput
        #expect(rules.contains("-A DOCKER-USER -i vmn-dweb -o vmn-dweb -m comment --comment \"vmnet:dweb\" -j ACCEPT"), "\(rules)")
        try DockerTests.checkNetwork(world, "dweb", tag: "d")
        #expect(try docker.containerReachesUplink())

        // dockerd's restart keeps DOCKER-USER; whatever went missing (here: one rule) `up` puts back.
        try docker.restart()
        let afterRestart = try world.doctor("dweb")
        #expect(afterRestart.status == 0 && afterRestart.checks["host-iptables"] == "ok", "\(afterRestart.details)")
        try world.inHost("iptables", "-D", "DOCKER-USER", "1").requireSuccess("removing a rule")
        let broken = try world.doctor("dweb")
        #expect(broken.status == 1 && broken.checks["host-iptables"] == "fail", "\(broken.details)")
        #expect(broken.details["host-iptables"]?.contains("DOCKER-USER") == true, "\(broken.details)")
        try world.ok("up", "dweb")
        #expect(try world.doctor("dweb").status == 0)
        #expect(try world.inHost("iptables", "-S", "DOCKER-USER").standardOutput == rules)
        try DockerTests.checkNetwork(world, "dweb", tag: "r")
        #expect(try docker.containerReachesUplink())

        try world.ok("destroy", "dweb")
        let after = try world.inHost("iptables-save").standardOutput
        #expect(!after.contains("vmnet"), "\(after)")
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("1"))
    }

    @Test func aSandboxGuestIsRefusedTheHostAndTheLANButReachesTheUplinkBesideDocker() throws {
        let docker = try DockerHost.get()
        try PolicyTests.checkSandboxBesideAnotherFirewall(docker.shared.world(), "dsand")
        #expect(try docker.containerReachesUplink())
    }

    /// The real dockerd's ip6tables FORWARD DROP: NAT66, the gateway and guest to guest still
    /// work through vmnet's ip6tables accepts, which go with the network.
    @Test func nat66WorksThroughDockersIp6tablesDrop() throws {
        let docker = try DockerHost.get()
        let world = docker.shared.world()
        let log = try IPv6FirewallTests.prepare(world)
        let policies = try world.inHost("ip6tables", "-S").standardOutput
        try #require(policies.contains("-P FORWARD DROP") && policies.contains("DOCKER-ISOLATION"), "\(policies)")
        try world.ok("create", "d6")
        defer { _ = try? world.vmnet("destroy", "d6") }
        try IPv6FirewallTests.checkThroughHostFirewall(world, "d6", uplinkLog: log)
        try world.ok("destroy", "d6")
        #expect(!(try world.inHost("ip6tables-save").standardOutput.contains("vmnet")))
        #expect(try world.inHost("ip6tables", "-S").standardOutput == policies)
    }

    @Test func dockerKeepsItsWayOutAfterVmnetsLastDestroy() throws {
        let shared = try SharedHost("dl")
        defer { shared.tearDown() }
        let world = shared.world()
        try world.ok("create", "first")
        // dockerd started after vmnet turned ip_forward on: it leaves FORWARD's policy alone.
        let docker = try DockerHost(shared)
        try docker.start()
        defer { docker.stop() }
        try docker.importImage()
        #expect(try docker.containerReachesUplink())
        try world.ok("destroy", "first")
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("1"))
        #expect(try docker.containerReachesUplink())
    }

    /// The common laptop: dockerd, then ufw enabled, then vmnet.
    @Test func natWorksOnADockerAndUfwHostAndDestroyLeavesBothRulesetsAsTheyWere() throws {
        let shared = try SharedHost("du")
        defer { shared.tearDown() }
        let docker = try DockerHost(shared)
        try docker.start()
        defer { docker.stop() }
        try docker.importImage()
        _ = try UfwHost(shared)  // enables ufw there
        let world = shared.world()
        world.umask = "077"
        let before = try world.inHost("iptables", "-S").standardOutput
        try #require(before.contains("DOCKER-USER") && before.contains("ufw-before-input"), "\(before)")

        try world.ok("create", "lweb")
        try world.ok("create", "lother")
        try DockerTests.checkNetwork(world, "lweb", tag: "l")
        // A reservation made under the hardened umask is served by DHCP and DNS.
        let added = try world.ok("host", "add", "lweb", "box", "--mac", "52:54:00:aa:bb:19", "--json")
        let reserved = try #require(try JSONCodec.parse(added.standardOutput, source: "host add")["ip"]?.stringValue)
        let (boxClient, boxLease) = try world.leasedClient(on: "lweb", hostname: "box", mac: "52:54:00:aa:bb:19")
        #expect(boxLease.address.description == reserved)
        #expect(try world.sandbox.resolve(from: boxClient, "box.lweb.vmnet", server: try world.gateway("lweb"))?.description == reserved)
        let (first, _) = try world.leasedClient(on: "lweb", hostname: "lc")
        let (other, otherLease) = try world.leasedClient(on: "lother", hostname: "ld")
        try Traffic.startEcho(in: other, sandbox: world.sandbox)
        #expect(try !Traffic.tcp(from: first, to: otherLease.address, sandbox: world.sandbox))
        #expect(try docker.containerReachesUplink())

        try world.ok("destroy", "lweb", "lother")
        #expect(try world.inHost("iptables", "-S").standardOutput == before)
    }
}

