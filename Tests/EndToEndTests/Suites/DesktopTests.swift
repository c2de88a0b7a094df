import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// Issue 19 done, all at once: in one host namespace real NetworkManager and systemd-resolved
/// (NetworkManagerHost), libvirtd with its stock `default` network, rootful podman's `podman`
/// network with a running container, and `vmnet watch`. vmnet's network leases, resolves
/// (guests and host) and gets out at the start, after a NetworkManager restart, after the
/// uplink moves and with a VPN's 10.0.0.0/8; doctor names the VPN route; destroying vmnet's
/// networks leaves libvirt's and podman's rules, bridges and dnsmasq exactly as they were.
/// A missing libvirtd or podman fails it (as in DesktopPeersTests). It shares the namespace of
/// NetworkManagerHost with NetworkManagerTests: together they run with --no-parallel, as
/// scripts/test runs them (in parallel the other's networks keep the drop-in).
@Suite("The whole desktop at once, end to end", .serialized, .enabled(if: NetworkManagerHost.enabled))
struct DesktopTests {
    @Test func vmnetKeepsWorkingAmongADesktopsToolsThroughARestartAMovingUplinkAndAVPN() throws {
        try #require(ExecutableLocator.find("podman") != nil, "podman is missing: run scripts/install-deps --test")
        let desktop = try NetworkManagerHost.shared()
        try desktop.startNetworkManager()
        try desktop.restoreUplink()
        let world = desktop.world
        let sandbox = desktop.sandbox
        defer {
            _ = try? desktop.run(["ip", "link", "del", "vpn0"])
            _ = try? desktop.run(["ip", "link", "del", "h-up1"])
            try? desktop.restoreUplink()
        }

        // 1. The other tools, and what they own before vmnet starts.
        let beside = SharedHost(on: world)
        defer { beside.stopDaemons() }
        let libvirt = try LibvirtHost.started(on: beside)
        try DesktopPeersTests.startLibvirtDefault(libvirt)
        defer { DesktopPeersTests.removeLibvirtDefault(libvirt) }
        let podman = try PodmanHarness(world: world, backend: "netavark", networkDirectory: sandbox.directory + "/podman-networks")
        let container = try DesktopPeersTests.runContainer(podman)
        defer { _ = try? podman.podman(["rm", "-f", "-t", "0", container]) }
        let containerGetsOut = {
            try podman.podman(["exec", container, "sh", "-c", "echo vmnet | nc -w 2 \(Sandbox.uplinkAddress) \(Traffic.port) | grep -q vmnet"]).succeeded
        }
        let othersFootprint = {
            try DesktopPeersTests.libvirtFootprint(world) + "\n==\n" + DesktopPeersTests.footprint(of: world, chains: "NETAVARK", bridge: "podman0")
        }
        let before = try othersFootprint()
        try #require(before.contains("LIBVIRT_FWI") && before.contains("192.168.122.1/24") && before.contains("dnsmasq")
                     && before.contains("NETAVARK_FORWARD") && before.contains("10.88.0.1/16"), "\(before)")
        let watcher = try Watcher(world, in: beside)

        // 2. vmnet's network: two guests lease, resolve upstream and each other, reach the
        // gateway, each other and the fake internet; the host resolves them through resolved.
        let name = "desk"
        let second = "desk2"
        try desktop.ok("create", name)
        defer { _ = try? desktop.vmnet("destroy", name, second) }
        let record = try desktop.record(name)
        let gateway = record.gateway
        try Traffic.startEcho(in: world.uplink, sandbox: sandbox)
        try sandbox.run(in: world.uplink, ["ip", "address", "replace", "\(DesktopUplinkTests.far)/32", "dev", "lo"]).requireSuccess("adding the far address")
        try Traffic.startEcho(in: world.host, sandbox: sandbox)
        let a = try sandbox.addClient(on: record.bridge, in: world.host)
        let b = try sandbox.addClient(on: record.bridge, in: world.host)
        let leaseA = try #require(try sandbox.requestLease(in: a, hostname: "guest-a"), "no DHCP lease on \(name)")
        let leaseB = try #require(try sandbox.requestLease(in: b, hostname: "guest-b"), "no DHCP lease on \(name)")
        try Traffic.startEcho(in: b, sandbox: sandbox)
        try desktop.waitFor("the host resolving guest-a.\(name).vmnet", seconds: 5) {
            (try? desktop.resolveOnHost("guest-a.\(name).vmnet")) == leaseA.address
        }
        func works(_ when: String) throws {
            #expect(try sandbox.requestLease(in: a, hostname: "guest-a")?.address == leaseA.address, "\(when): the lease renews")
            #expect(try sandbox.resolve(from: a, Sandbox.fakeDomain, server: gateway) == Sandbox.fakeAnswer, "\(when): the guest resolves upstream")
            #expect(try sandbox.resolve(from: a, "guest-b.\(name).vmnet", server: gateway) == leaseB.address, "\(when): the guest resolves its network's names")
            #expect(try Traffic.tcp(from: a, to: gateway, sandbox: sandbox), "\(when): the guest reaches the gateway")
            #expect(try Traffic.tcp(from: a, to: leaseB.address, sandbox: sandbox), "\(when): the guest reaches the other guest")
            #expect(try Traffic.tcp(from: a, to: DesktopUplinkTests.far, sandbox: sandbox), "\(when): the guest gets out")
            #expect(try desktop.resolveOnHost("guest-b.\(name).vmnet") == leaseB.address, "\(when): the host resolves the guest")
        }
        try works("at the start")
        let healthy = try desktop.vmnet("doctor", name)
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
        #expect(try containerGetsOut(), "podman's container gets out beside vmnet")

        // 3. NetworkManager restarts: vmnet's links stay unmanaged, everything still works.
        try desktop.stopNetworkManager()
        try desktop.startNetworkManager()
        try works("after a NetworkManager restart")
        let states = try desktop.deviceStates()
        for link in NetworkManagerPlanner.links(of: record) {
            #expect(states[link] == NetworkManagerPlanner.unmanaged, "\(link): \(states[link] ?? "not listed")")
        }

        // 4. Wi-Fi to Ethernet: the default route moves to a second uplink (NetworkManager left
        // off it, as the one that moved it would not fight itself); new flows get out.
        try DesktopUplinkTests.moveToSecondUplink(world, ipv6: false, addLink: {
            try desktop.addUnmanagedVeth("h-up1", peer: "up1", peerNamespace: world.uplink)
        })
        let moved = Recovery.seconds { (try? Traffic.tcp(from: a, to: DesktopUplinkTests.far, sandbox: sandbox)) == true }
        #expect((moved ?? 9) < 1, "after the move a new flow got out in \(moved.map { "\(Int($0 * 1000)) ms" } ?? "never")")
        try works("after the uplink moved")

        // 5. A VPN routes all of 10.0.0.0/8: the bridge's own route wins, guests keep working;
        // doctor names the route; a second network takes the first fallback pool and says so.
        #expect(IPv4Subnet("10.0.0.0/8")!.contains(gateway), "the network is not under the VPN's route: \(gateway)")
        try desktop.addVPN()
        try works("with a VPN's 10.0.0.0/8")
        let doctor = try world.doctor(name)
        #expect(doctor.checks["subnet"] == "fail")
        #expect(doctor.details["subnet"]?.contains("route 10.0.0.0/8 dev vpn0 (table main) loses to the bridge's own route") == true,
                "\(doctor.details["subnet"] ?? "")")
        let fallback = try desktop.vmnet("create", second)
        #expect(fallback.status == 0 && fallback.standardError.contains(": using 172.16.0.0/16\n"), "\(fallback.standardError)")

        // 6. vmnet goes: the other tools are exactly as they were, the drop-in is gone.
        try desktop.ok("destroy", name, second)
        #expect(desktop.dropIn == nil, "the NetworkManager drop-in outlived vmnet's networks")
        let after = try othersFootprint()
        #expect(after == before, "before:\n\(before)\nafter:\n\(after)")
        #expect(try containerGetsOut(), "podman's container gets out after vmnet left")
        #expect(watcher.repairs.isEmpty, "vmnet watch repaired: \(watcher.repairs)")
        #expect(watcher.stop(), "vmnet watch did not exit on SIGTERM: \(watcher.log)")
    }
}
