import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A real NetworkManager 1.42 beside a real systemd-resolved (shared by these tests, see
/// NetworkManagerHost) never manages vmnet's bridges and keeper ports: whether it starts
/// before vmnet, after it, or restarts, the bridge keeps its addresses, no DHCP client runs on
/// its links, a guest leases and resolves, and the host still resolves the network's names.
@Suite("NetworkManager, end to end", .serialized, .enabled(if: NetworkManagerHost.enabled))
struct NetworkManagerTests {
    let desktop: NetworkManagerHost

    init() throws {
        desktop = try NetworkManagerHost.shared()
        try desktop.startNetworkManager()
    }

    @Test func vmnetAfterNetworkManagerStaysUnmanaged() throws {
        let name = "nm-after"
        try desktop.ok("create", name)
        defer { _ = try? desktop.vmnet("destroy", name) }
        let dropIn = try #require(desktop.dropIn, "vmnet wrote no drop-in")
        #expect(dropIn.contains("unmanaged-devices+=interface-name:vmn-*;interface-name:vmp-*;interface-name:vmq-*"), "\(dropIn)")
        try expectLeftAlone(name)
        try expectGuestLeasesAndResolves(name)
    }

    @Test func networkManagerStartingAfterVmnetLeavesItAlone() throws {
        let name = "nm-before"
        try desktop.stopNetworkManager()
        try desktop.ok("create", name)
        defer { _ = try? desktop.vmnet("destroy", name) }
        try desktop.startNetworkManager()
        try expectLeftAlone(name)
        try expectGuestLeasesAndResolves(name)
    }

    @Test func aRestartedNetworkManagerLeavesItAlone() throws {
        let name = "nm-restart"
        try desktop.ok("create", name)
        defer { _ = try? desktop.vmnet("destroy", name) }
        try desktop.stopNetworkManager()
        try desktop.startNetworkManager()
        try expectLeftAlone(name)
        try expectGuestLeasesAndResolves(name)
        let verdict = try desktop.vmnet("doctor", name)
        #expect(verdict.status == 0, "\(verdict.standardOutput)")
    }

    @Test func theLastDestroyRemovesTheDropIn() throws {
        try desktop.ok("create", "nm-one")
        try desktop.ok("create", "nm-two")
        try desktop.ok("destroy", "nm-one")
        #expect(desktop.dropIn != nil, "a network is left")
        try desktop.ok("destroy", "nm-two")
        #expect(desktop.dropIn == nil)
    }

    /// Without the drop-in NetworkManager 1.42 takes the keeper veth (a "Wired connection"
    /// with DHCP from the network's own dnsmasq) and, turning the bridge from unmanaged to
    /// managed, flushes its addresses: doctor names it, `up` restores the drop-in and the
    /// addresses, and NetworkManager lets go of the bridge at its next start.
    @Test func doctorNamesAManagedLinkAndUpRepairsIt() throws {
        let name = "nm-doctor"
        try desktop.ok("create", name)
        defer { _ = try? desktop.vmnet("destroy", name) }
        let record = try desktop.record(name)
        let bridge = record.bridge
        try desktop.run(["rm", NetworkManagerDropIn.defaultDirectory + "/" + NetworkManagerPlanner.dropInName]).requireSuccess("removing the drop-in")
        try desktop.nmcli("general", "reload", "conf").requireSuccess("reloading NetworkManager")
        try desktop.waitFor("NetworkManager taking \(bridge)") { ((try? desktop.deviceStates()[bridge]) ?? nil).map { $0 != NetworkManagerPlanner.unmanaged } ?? false }
        let verdict = try desktop.vmnet("doctor", name, "--json")
        #expect(verdict.status == 1, "\(verdict.standardOutput)")
        let finding = try JSONCodec.parse(verdict.standardOutput, source: "vmnet doctor").arrayValue?
            .first { $0["check"]?.stringValue == NetworkManagerPlanner.check }
        #expect(finding?["status"]?.stringValue == "fail", "\(verdict.standardOutput)")
        #expect(finding?["detail"]?.stringValue?.hasPrefix("NetworkManager manages \(bridge)") == true, "\(verdict.standardOutput)")

        try desktop.ok("up", name)
        #expect(desktop.dropIn != nil)
        let states = try desktop.deviceStates()
        #expect(NetworkManagerPlanner.links(of: record).dropFirst().allSatisfy { states[$0] == NetworkManagerPlanner.unmanaged }, "\(states)")
        #expect(states[bridge] == "disconnected", "reloading lets go of the keeper ports, not of the bridge: \(states)")
        let addresses = try desktop.run(["ip", "-o", "-4", "address", "show", "dev", bridge]).standardOutput
        #expect(addresses.contains(" \(record.gateway)/"), "up gave \(bridge) its gateway back: \(addresses)")
        try desktop.stopNetworkManager()
        try desktop.startNetworkManager()
        try expectLeftAlone(name)
        try expectGuestLeasesAndResolves(name)
        #expect(try desktop.vmnet("doctor", name).status == 0)
    }

    /// NetworkManager pushes its DNS to resolved on every connection change; vmnet's bridge
    /// is not its link, so vmnet's registration stays.
    @Test func theHostResolvesAcrossRestartsAndConnectionChanges() throws {
        let name = "nm-dns"
        try desktop.ok("create", name)
        defer { _ = try? desktop.vmnet("destroy", name) }
        let box = try desktop.reserve("box", on: name)
        // resolved uses the link once the bridge has carrier, a moment after create.
        try desktop.waitFor("the host resolving box.\(name).vmnet", seconds: 5) { (try? desktop.resolveOnHost("box.\(name).vmnet")) == box }

        try desktop.stopNetworkManager()
        try desktop.startNetworkManager()
        #expect(try desktop.resolveOnHost("box.\(name).vmnet") == box, "after a NetworkManager restart")

        let uplink = "vmnet-test-uplink"
        try desktop.nmcli("connection", "add", "type", "ethernet", "ifname", "h-up", "con-name", uplink, "ipv4.method", "manual",
                          "ipv4.addresses", "198.51.100.1/24", "ipv4.gateway", "198.51.100.2", "ipv4.dns", "198.51.100.2",
                          "ipv6.method", "disabled").requireSuccess("adding the uplink's profile")
        defer { _ = try? desktop.nmcli("connection", "delete", uplink) }
        try desktop.nmcli("connection", "up", uplink).requireSuccess("activating the uplink's profile")
        let uplinkDNS = try desktop.run(["resolvectl", "dns", "h-up"]).standardOutput
        #expect(uplinkDNS.contains("198.51.100.2"), "NetworkManager pushed the uplink's DNS: \(uplinkDNS)")
        #expect(try desktop.resolveOnHost("box.\(name).vmnet") == box, "after a connection change")
        #expect(try desktop.resolveOnHost("\(Sandbox.fakeDomain)") == Sandbox.fakeAnswer)
        try expectLeftAlone(name)
    }

    /// Issue 19's day on a desktop, with NetworkManager and resolved running: a VPN routes all
    /// of 10.0.0.0/8, NetworkManager restarts, the laptop suspends and resumes (its uplink goes
    /// down and up). Through all of it the guest leases' network resolves (guest and host) and
    /// gets out; doctor names the VPN route; a second network takes a fallback pool.
    @Test func aDayWithAVPNARestartAndASuspend() throws {
        let name = "nm-day"
        try desktop.ok("create", name)
        defer {
            _ = try? desktop.vmnet("destroy", name, "nm-day2")
            _ = try? desktop.run(["ip", "link", "del", "vpn0"])
        }
        let echoPort = 7191
        try desktop.restoreUplink()
        try Traffic.startEcho(in: desktop.world.uplink, sandbox: desktop.sandbox, port: echoPort)
        let record = try desktop.record(name)
        let (bridge, gateway) = (record.bridge, record.gateway)
        let client = try desktop.sandbox.addClient(on: bridge, in: desktop.host)
        let lease = try #require(try desktop.sandbox.requestLease(in: client, hostname: "guest"), "no DHCP lease on \(name)")
        func works(_ when: String) throws {
            #expect(try desktop.sandbox.requestLease(in: client, hostname: "guest")?.address == lease.address, "\(when): the lease renews")
            #expect(try desktop.sandbox.resolve(from: client, Sandbox.fakeDomain, server: gateway) == Sandbox.fakeAnswer,
                    "\(when): the guest resolves upstream")
            #expect(try Traffic.tcp(from: client, to: Sandbox.uplinkAddress, sandbox: desktop.sandbox, port: echoPort), "\(when): the guest gets out")
            #expect(try desktop.resolveOnHost("guest.\(name).vmnet") == lease.address, "\(when): the host resolves the guest")
        }
        try works("at the start")

        try desktop.addVPN()
        try works("with a VPN's 10.0.0.0/8")
        let doctor = try desktop.vmnet("doctor", name)
        #expect(doctor.status != 0 && doctor.standardOutput.contains("collides with route 10.0.0.0/8 dev vpn0"), "\(doctor.standardOutput)")
        let second = try desktop.vmnet("create", "nm-day2")
        #expect(second.status == 0 && second.standardError.contains("using 172.16.0.0/16"), "\(second.standardError)")

        try desktop.stopNetworkManager()
        try desktop.startNetworkManager()
        try works("after a NetworkManager restart")
        try expectLeftAlone(name)

        // Suspend and resume: the uplink goes down (its default route with it) and comes back.
        try desktop.run(["ip", "link", "set", "h-up", "down"]).requireSuccess("suspending the uplink")
        try desktop.restoreUplink()
        try works("after a suspend and resume")

        try desktop.run(["ip", "link", "del", "vpn0"]).requireSuccess("removing the VPN")
        let healthy = try desktop.vmnet("doctor", name)
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
    }

    // MARK: checks

    /// The bridge and keeper pair are unmanaged, and stay so for NetworkManager's DHCP and IPv6
    /// autoconfiguration timeouts' worth of time: the bridge keeps both gateways, the keeper
    /// ports get no address, no route was added by DHCP.
    private func expectLeftAlone(_ name: String) throws {
        let record = try desktop.record(name)
        let (bridge, gateway) = (record.bridge, record.gateway)
        let links = NetworkManagerPlanner.links(of: record)
        // Long enough for a DHCP lease from vmnet's dnsmasq (~3 s with its ping) and an RA.
        usleep(4_000_000)
        let states = try desktop.deviceStates()
        for link in links { #expect(states[link] == NetworkManagerPlanner.unmanaged, "\(link): \(states[link] ?? "not listed")") }
        let addresses = try desktop.run(["ip", "-o", "address", "show", "dev", bridge]).standardOutput
        #expect(addresses.contains(" \(gateway)/"), "\(bridge) lost its IPv4 gateway: \(addresses)")
        #expect(addresses.contains("inet6 ") && addresses.contains("scope global"), "\(bridge) lost its IPv6 gateway: \(addresses)")
        for port in links.dropFirst() {
            let held = try desktop.run(["ip", "-o", "-4", "address", "show", "dev", port]).standardOutput
            #expect(held.isEmpty, "\(port) got an address: \(held)")
        }
        let routes = try desktop.run(["ip", "route", "show", "proto", "dhcp"]).standardOutput
        #expect(routes.isEmpty, "routes from a DHCP client: \(routes)")
        let master = try desktop.run(["ip", "-o", "link", "show", "master", bridge]).standardOutput
        #expect(master.contains(links[1] + "@"), "the keeper port left \(bridge): \(master)")
    }

    private func expectGuestLeasesAndResolves(_ name: String) throws {
        let record = try desktop.record(name)
        let (bridge, gateway) = (record.bridge, record.gateway)
        let client = try desktop.sandbox.addClient(on: bridge, in: desktop.host)
        let lease = try #require(try desktop.sandbox.requestLease(in: client, hostname: "guest"), "no DHCP lease on \(name)")
        #expect(lease.router == gateway)
        #expect(try desktop.sandbox.resolve(from: client, Sandbox.fakeDomain, server: gateway) == Sandbox.fakeAnswer)
        #expect(try desktop.resolveOnHost("guest.\(name).vmnet") == lease.address, "the host resolves the guest")
    }
}
