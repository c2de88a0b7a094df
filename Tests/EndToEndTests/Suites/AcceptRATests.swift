import Glibc
import Testing
import VmnetCore
import VmnetShell

/// The host's own IPv6 default route, learned from a real router's advertisements, survives
/// vmnet turning IPv6 forwarding on: refused unless `--fix-accept-ra`, which sets accept_ra=2.
@Suite("accept_ra protection, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct AcceptRATests {
    /// The host's interface towards the router.
    static let uplink = "ra0"

    /// A world whose host learned a default route on ra0 from the advertisements of a dnsmasq
    /// in a "router" namespace (accept_ra 1, IPv6 forwarding off, as on a laptop).
    static func routedWorld(_ tag: String) throws -> VmnetWorld {
        let world = try VmnetWorld(tag)
        let sandbox = world.sandbox
        let router = try sandbox.addNamespace("rt")
        let runner = sandbox.runner
        try runner.check(["ip", "-n", world.host, "link", "add", uplink, "type", "veth", "peer", "name", "rt0", "netns", router], doing: "linking the router")
        // No duplicate address detection: the link-local addresses (RA's source) are usable at once.
        try world.inHost("sysctl", "-q", "-w", "net.ipv6.conf.\(uplink).accept_dad=0", "net.ipv6.conf.\(uplink).accept_ra=1",
                         "net.ipv6.conf.all.forwarding=0").requireSuccess("preparing \(uplink)")
        try sandbox.run(in: router, ["sysctl", "-q", "-w", "net.ipv6.conf.rt0.accept_dad=0", "net.ipv6.conf.all.forwarding=1"])
            .requireSuccess("preparing the router")
        try runner.check(["ip", "-n", world.host, "link", "set", uplink, "up"], doing: "raising \(uplink)")
        try runner.check(["ip", "-n", router, "address", "add", "2001:db8:1::1/64", "dev", "rt0", "nodad"], doing: "addressing rt0")
        try runner.check(["ip", "-n", router, "link", "set", "rt0", "up"], doing: "raising rt0")
        // Killed with the namespace's other processes by the sandbox's tear-down.
        try sandbox.run(in: router, [
            "dnsmasq", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--port=0", "--interface=rt0", "--bind-interfaces",
            "--enable-ra", "--dhcp-range=::,constructor:rt0,ra-only,64,1h", "--ra-param=rt0,3,1800",
            "--pid-file=\(sandbox.directory)/router.pid",
        ]).requireSuccess("starting the router's dnsmasq")
        // Measured: the first advertisement arrives about a second after the links come up.
        for _ in 0..<100 where try !hasRouterDefault(world) { usleep(100_000) }
        try #require(try hasRouterDefault(world), "no default route from router advertisements on \(uplink)")
        return world
    }

    static func hasRouterDefault(_ world: VmnetWorld) throws -> Bool {
        try world.inHost("ip", "-6", "route", "show", "default", "proto", "ra").standardOutput.contains("dev \(uplink)")
    }

    static func sysctl(_ world: VmnetWorld, _ path: String) throws -> String {
        try world.inHost("cat", "/proc/sys/net/ipv6/conf/\(path)").standardOutput.filter { !$0.isWhitespace }
    }

    @Test func createRefusesNamingTheInterfaceThenTheFixKeepsTheRoute() throws {
        let world = try Self.routedWorld("ra")
        let before = try world.footprint()
        try world.expectRefused([(["create", "net"], 4, "\(Self.uplink) takes its default route from router advertisements")])
        let refusal = try world.vmnet("create", "net").standardError
        #expect(refusal.contains("--fix-accept-ra") && refusal.contains(#""ipv6": "off""#), "\(refusal)")
        #expect(try world.footprint() == before)
        #expect(try Self.sysctl(world, "all/forwarding") == "0" && Self.sysctl(world, "\(Self.uplink)/accept_ra") == "1")

        let fixed = try world.ok("create", "net", "--fix-accept-ra")
        #expect(fixed.standardError.contains("net.ipv6.conf.\(Self.uplink).accept_ra=2"), "\(fixed.standardError)")
        #expect(try Self.sysctl(world, "\(Self.uplink)/accept_ra") == "2")
        // Only that interface: h-up (no advertised route) keeps its accept_ra.
        #expect(try Self.sysctl(world, "h-up/accept_ra") == "1")
        #expect(try Self.sysctl(world, "all/forwarding") == "1")
        #expect(try Self.hasRouterDefault(world))
        let doctor = try world.doctor("net")
        #expect(doctor.checks["ip6-forward"] == "ok" && doctor.checks["host-accept-ra"] == "ok", "\(doctor.details)")
    }

    @Test func upRefusesTooAndNetworksWithoutIPv6OrForwardingCheckNothing() throws {
        let world = try Self.routedWorld("rb")
        try world.addProfile("v4", #"{"mode": "nat", "ipv6": "off"}"#)
        try world.ok("create", "four", "--profile", "v4")
        try world.ok("create", "plain", "--no-ipv6")
        // Host-only networks forward nothing, for IPv6 as for IPv4.
        try world.ok("create", "local", "--profile", "host-only")
        #expect(try Self.sysctl(world, "all/forwarding") == "0" && Self.sysctl(world, "\(Self.uplink)/accept_ra") == "1")

        try world.ok("create", "net", "--no-start")
        let before = try world.footprint()
        try world.expectRefused([(["up", "net"], 4, "--fix-accept-ra")])
        #expect(try world.footprint() == before)
        try world.ok("up", "net", "--fix-accept-ra")
        #expect(try Self.sysctl(world, "\(Self.uplink)/accept_ra") == "2" && Self.sysctl(world, "all/forwarding") == "1")
        #expect(try Self.hasRouterDefault(world))
    }

    @Test func doctorWarnsWhenAcceptRAWentBackTo1UnderForwarding() throws {
        let world = try Self.routedWorld("rc")
        try world.ok("create", "net", "--fix-accept-ra")
        // A boot script or network manager resets it: the route stays, but is no longer refreshed.
        try world.inHost("sysctl", "-q", "-w", "net.ipv6.conf.\(Self.uplink).accept_ra=1").requireSuccess("resetting accept_ra")
        #expect(try Self.hasRouterDefault(world))
        let doctor = try world.doctor("net")
        #expect(doctor.checks["host-accept-ra"] == "warn", "\(doctor.details)")
        #expect(doctor.details["host-accept-ra"]?.contains("\(Self.uplink) has accept_ra=1") == true)
    }
}
