import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// Guests (a client namespace whose veth is a bridge port, with a DHCP lease; a podman
/// container) survive `down --force`/`up` and a bridge deleted behind vmnet's back.
@Suite("Guests survive down and up, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct GuestTests {
    static func ports(_ world: VmnetWorld, _ name: String, environment: [String: String] = [:]) throws -> [String] {
        let shown = try world.vmnet(["show", name, "--json"], environment: environment).requireSuccess("show")
        return try JSONCodec.parse(shown.standardOutput, source: "show")["ports"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    static func master(_ world: VmnetWorld, _ port: String) throws -> String? {
        let words = try world.inHost("ip", "-o", "link", "show", "dev", port).standardOutput.split(separator: " ")
        return words.firstIndex(of: "master").map { String(words[$0 + 1]) }
    }

    /// A guest with a lease on network `proj`, whose port `show` has seen (and remembered).
    private struct Guest {
        let world: VmnetWorld
        let gateway: IPv4Address
        let bridge: String
        let client: String
        let lease: Sandbox.Lease
        let port: String

        init(_ world: VmnetWorld) throws {
            self.world = world
            try world.ok("create", "proj")
            gateway = try world.gateway("proj")
            bridge = try world.bridge("proj")
            (client, lease) = try world.leasedClient(on: "proj", hostname: "guest")
            port = try #require(try GuestTests.ports(world, "proj").first)
        }

        /// On the bridge again, reaching the gateway, with the same lease.
        func expectBack() throws {
            #expect(try GuestTests.master(world, port) == bridge)
            #expect(try world.network("proj")["state"]?.stringValue == "up")
            #expect(try world.sandbox.ping(from: client, gateway))
            #expect(try world.sandbox.requestLease(in: client, hostname: "guest")?.address == lease.address)
        }
    }

    @Test func downRefusesWhileAGuestIsAttachedAndUpAttachesItAgainAfterForce() throws {
        let world = try VmnetWorld("gs")
        let guest = try Guest(world)
        let port = guest.port
        try world.ok("create", "idle")
        #expect(try Self.ports(world, "proj") == [port])
        #expect(try world.ok("show", "proj").standardOutput.split(separator: "\n").contains { $0.hasPrefix("ports:") && $0.hasSuffix(" \(port)") })

        let before = try world.footprint()
        for arguments in [["down", "proj"], ["down", "--all"]] {
            let refused = try world.vmnet(arguments)
            #expect(refused.status == 4, "\(arguments): \(refused.standardError)")
            #expect(refused.standardError.contains(port))
            #expect(refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        }
        #expect(try world.footprint() == before)
        #expect(try world.network("proj")["state"]?.stringValue == "up")
        #expect(try world.network("idle")["state"]?.stringValue == "up")

        try world.ok("down", "--all", "--force")
        #expect(try world.network("proj")["state"]?.stringValue == "down")
        #expect(try Self.master(world, port) == nil)
        try world.ok("up", "proj")
        #expect(try Self.ports(world, "proj") == [port])
        try guest.expectBack()
    }

    @Test func upAttachesTheGuestsOfABridgeDeletedBehindItsBack() throws {
        let world = try VmnetWorld("gd")
        let guest = try Guest(world)
        try world.inHost("ip", "link", "del", guest.bridge).requireSuccess("deleting the bridge")
        #expect(try world.network("proj")["state"]?.stringValue == "degraded")
        try world.ok("up", "proj")
        try guest.expectBack()
    }

    /// A reboot that kept a guest's tap: vmnet's bridge, keeper pair, dnsmasq, rules and run
    /// directory are gone, its state stays; `up --all` attaches the guest again.
    @Test func upAfterARebootAttachesTheGuestsThatStayed() throws {
        let world = try VmnetWorld("gr")
        let guest = try Guest(world)
        let bridge = guest.bridge
        let pid = try #require(try world.network("proj")["dnsmasq_pid"]?.intValue)
        kill(pid_t(pid), SIGKILL)
        try world.inHost("ip", "link", "del", bridge).requireSuccess("deleting the bridge")
        try world.inHost("ip", "link", "del", BridgeNamer.keeperPort(for: bridge).port).requireSuccess("deleting the keeper pair")
        try world.inHost("nft", "delete", "table", "inet", "vmnet").requireSuccess("deleting the table")
        FileSystem.removeTree(world.runDirectory)

        try world.ok("up", "--all")
        try guest.expectBack()
    }

    /// Podman's CNI backend deletes the bridge of a network it removes (`network rm`) or
    /// prunes (`network prune`, which takes every unused one): `up` puts both back, with
    /// the guests that are still there.
    @Test func upRepairsBridgesThatPodmanCNIDeleted() throws {
        let missing = ["podman", "nsenter", "tar"].filter { ExecutableLocator.find($0) == nil }
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test")
        let world = try VmnetWorld("gc")
        let directory = world.sandbox.directory + "/cni-networks"
        let cni = ["VMNET_CNI_DIR": directory]
        let removed = "gr-\(getpid())", pruned = "gp-\(getpid())"
        for name in [removed, pruned] {
            try world.ok("create", name)
            try world.vmnet(["install", name, "--cni"], environment: cni).requireSuccess("install --cni")
        }
        defer { _ = try? world.vmnet(["destroy", removed, pruned], environment: cni) }
        let podman = try PodmanHarness(world: world, backend: "cni", networkDirectory: directory)
        var guests: [String: (client: String, port: String)] = [:]
        for name in [removed, pruned] {
            let (client, _) = try world.leasedClient(on: name, hostname: "guest")
            guests[name] = (client, try #require(try Self.ports(world, name).first))
        }
        let container = try podman.podman(["run", "-d", "--stop-timeout", "0", "--network", removed, "--dns", try world.gateway(removed).description,
                                           "localhost/vmnet-bb", "sleep", "300"])
        #expect(container.succeeded, "\(container.standardError)")
        #expect(try Self.ports(world, removed).count == 2)

        let rm = try podman.podman(["network", "rm", "-f", removed])
        #expect(rm.succeeded, "\(rm.standardError)")
        let prune = try podman.podman(["network", "prune", "-f"])
        #expect(prune.succeeded, "\(prune.standardError)")
        for name in [removed, pruned] {
            #expect(try !world.links().contains(try world.bridge(name) + ":"), "podman left the bridge of \(name)")
        }

        try world.vmnet(["up", "--all"], environment: cni).requireSuccess("up --all")
        for name in [removed, pruned] {
            let guest = try #require(guests[name])
            #expect(try Self.master(world, guest.port) == (try world.bridge(name)))
            #expect(try Self.ports(world, name) == [guest.port])
            #expect(try world.sandbox.ping(from: guest.client, try world.gateway(name)))
            // Podman took its conflist with the network: show says so; install puts it back.
            let problems = try world.network(name)["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(problems.count == 1 && problems.first?.hasPrefix("cni file ") == true, "\(problems)")
            try world.vmnet(["install", name, "--cni"], environment: cni).requireSuccess("install --cni again")
            #expect(try world.network(name)["state"]?.stringValue == "up")
        }
    }
}
