import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// `dns_upstream: auto` with the host resolvers distributions ship, each in the world's host
/// namespace (its own /etc/resolv.conf through `ip netns exec`): a guest resolves a name only
/// the uplink's fake DNS knows.
@Suite("resolv.conf as distributions ship it, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ResolvConfTests {
    /// A plain dnsmasq on a loopback address of the host namespace, forwarding to the
    /// uplink's fake DNS: NetworkManager's own dnsmasq (127.0.1.1) or, standing in for
    /// systemd-resolved's stub, one on 127.0.0.53 (cheaper than the real daemon, which
    /// ResolvedTests runs).
    func startLoopbackResolver(_ address: String, in world: VmnetWorld) throws -> pid_t {
        let pidFile = world.sandbox.directory + "/loopback-dns-\(address).pid"
        try world.inHost("dnsmasq", "--bind-interfaces", "--listen-address=\(address)", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                         "--server=\(Sandbox.uplinkAddress)", "--pid-file=\(pidFile)").requireSuccess("dnsmasq on \(address)")
        return try #require(FileSystem.readIfPresent(pidFile).flatMap { pid_t($0.filter { !$0.isWhitespace }) })
    }

    func guestResolvesUpstream(_ world: VmnetWorld, _ name: String) throws -> Bool {
        try world.ok("create", name)
        let guest = try world.leasedClient(on: name, hostname: "vm")
        return try world.sandbox.resolve(from: guest.namespace, "www.\(Sandbox.fakeDomain)", server: try world.gateway(name)) == Sandbox.fakeAnswer
    }

    @Test func aStaticLANResolver() throws {
        let world = try VmnetWorld("rs")
        try world.sandbox.setResolver(of: world.host, nameservers: [Sandbox.uplinkAddress])
        #expect(try guestResolvesUpstream(world, "lan"))
    }

    /// 127.0.1.1: NetworkManager's own dnsmasq; 127.0.0.53: systemd-resolved's stub.
    @Test(arguments: ["127.0.1.1", "127.0.0.53"])
    func aLoopbackResolverOfTheHost(address: String) throws {
        let world = try VmnetWorld("rl")
        let pid = try startLoopbackResolver(address, in: world)
        defer { kill(pid, SIGTERM) }
        try world.sandbox.setResolver(of: world.host, nameservers: [IPv4Address(address)!])
        #expect(try guestResolvesUpstream(world, "loop"))
    }

    /// No nameserver at all (an empty resolv.conf reads as a missing one): one line says what
    /// to set, and DHCP still works.
    @Test func noNameserverSaysWhatToSet() throws {
        let world = try VmnetWorld("r0")
        try world.sandbox.setResolver(of: world.host, nameservers: [])
        let created = try world.vmnet("create", "bare")
        #expect(created.status == 0, "\(created.standardError)")
        let lines = created.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasSuffix(": vmnet set bare dns_upstream=IP"), "\(created.standardError)")
        let guest = try world.leasedClient(on: "bare", hostname: "vm")
        #expect(try world.sandbox.resolve(from: guest.namespace, "vm.bare.vmnet", server: try world.gateway("bare")) == guest.lease.address)
        try world.ok("set", "bare", "dns_upstream=\(Sandbox.uplinkAddress)")
        #expect(try world.sandbox.resolve(from: guest.namespace, "www.\(Sandbox.fakeDomain)", server: try world.gateway("bare")) == Sandbox.fakeAnswer)
    }
}
