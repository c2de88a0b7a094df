import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// libvirt's and podman's own default networks running beside vmnet's in one host namespace,
/// as on a developer's desktop: both lease, resolve and get out; vmnet never takes their
/// subnets; destroying vmnet's networks leaves their rules, bridge and dnsmasq as they were.
@Suite("libvirt's and podman's own networks beside vmnet's, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct DesktopPeersTests {
    /// libvirt's stock `default` network, as Debian's libvirt-daemon-system ships it.
    static let libvirtDefault = """
        <network>
          <name>default</name>
          <bridge name='virbr0'/>
          <forward/>
          <ip address='192.168.122.1' netmask='255.255.255.0'>
            <dhcp>
              <range start='192.168.122.2' end='192.168.122.254'/>
            </dhcp>
          </ip>
        </network>

        """
    static let libvirtGateway = IPv4Address("192.168.122.1")!
    static let libvirtSubnet = IPv4Subnet("192.168.122.0/24")!
    static let podmanSubnet = IPv4Subnet("10.88.0.0/16")!

    /// A world that reads libvirt's network definitions where this libvirtd keeps them (the
    /// upper layer of its private /etc), as vmnet reads /etc/libvirt/qemu/networks on a host.
    static func world(on libvirt: LibvirtHost) -> VmnetWorld {
        libvirt.shared.world(environment: ["VMNET_LIBVIRT_NETWORKS_DIR": libvirt.directory + "/etc-up/libvirt/qemu/networks"])
    }

    static func startLibvirtDefault(_ libvirt: LibvirtHost) throws {
        let file = libvirt.directory + "/default.xml"
        try FileSystem.writeAtomically(libvirtDefault, to: file)
        if try !libvirt.virsh("net-info default").succeeded { try libvirt.virsh("net-define \(file)").requireSuccess("defining libvirt's default network") }
        try libvirt.virsh("net-start default").requireSuccess("starting libvirt's default network")
    }

    static func removeLibvirtDefault(_ libvirt: LibvirtHost) {
        _ = try? libvirt.virsh("net-destroy default")
        _ = try? libvirt.virsh("net-undefine default")
    }

    /// What another tool owns in the host: its iptables and ip6tables rules in every table (lines naming
    /// its chains or its bridge), its bridge's IPv4 address, and who holds DHCP on it
    /// (libvirt's dnsmasq, by pid).
    static func footprint(of world: VmnetWorld, chains: String, bridge: String) throws -> String {
        let tables = ["iptables", "ip6tables"].flatMap { program in ["filter", "nat", "mangle"].map { [program, "-w", "-t", $0, "-S"] } }
        let rules = try tables.map { try world.sandbox.run(in: world.host, $0).standardOutput }.joined()
            .split(separator: "\n").filter { $0.contains(chains) || $0.contains(bridge) }.map(String.init)
        // IPv4 only: a new bridge's link-local address is tentative for its first second.
        let link = try world.inHost("ip", "-o", "-4", "address", "show", "dev", bridge).standardOutput
        let dhcp = try world.inHost("ss", "-H", "-l", "-n", "-u", "-p", "sport = :67").standardOutput.split(separator: "\n")
            .filter { $0.contains("%\(bridge):") }.map { $0.split(separator: " ").joined(separator: " ") }
        return (rules + ["--", link, "--"] + dhcp).joined(separator: "\n")
    }

    static func libvirtFootprint(_ world: VmnetWorld) throws -> String {
        try footprint(of: world, chains: "LIBVIRT", bridge: "virbr0")
    }

    /// A client on virbr0 leases from libvirt's dnsmasq (which pings an address ~3 s before
    /// offering it: a second try), resolves through it and gets out through libvirt's NAT.
    static func checkLibvirtClient(_ world: VmnetWorld, client: String) throws {
        let sandbox = world.sandbox
        let lease = try sandbox.requestLease(in: client, hostname: "lvguest") ?? sandbox.requestLease(in: client, hostname: "lvguest")
        #expect(lease.map { libvirtSubnet.contains($0.address) } == true, "no lease from libvirt's dnsmasq")
        #expect(try sandbox.resolve(from: client, "x." + Sandbox.fakeDomain, server: libvirtGateway) == Sandbox.fakeAnswer)
        #expect(try Traffic.tcp(from: client, to: Sandbox.uplinkAddress, sandbox: sandbox))
    }

    /// vmnet's network beside another tool's: a subnet clear of it, the other's subnet refused
    /// when asked for, lease, DNS, NAT and guest-to-guest (DockerTests.checkNetwork), doctor green.
    static func checkVmnetNetwork(_ world: VmnetWorld, _ name: String, beside taken: IPv4Subnet, tag: String) throws {
        let subnet = try #require(try world.network(name)["subnet"]?.stringValue.flatMap { IPv4Subnet($0) })
        #expect(!subnet.overlaps(taken), "vmnet picked \(subnet)")
        let inside = IPv4Subnet(containing: taken.network, prefixLength: 24)
        let refused = try world.vmnet("create", "\(tag)clash", "--subnet", inside.description)
        #expect(refused.status == 4, "\(refused.standardError)")
        try DockerTests.checkNetwork(world, name, tag: tag)
        let doctor = try world.doctor(name)
        #expect(doctor.status == 0, "\(doctor.details.filter { doctor.checks[$0.key] != "ok" })")
    }

    @Test func libvirtsDefaultNetworkStartedBeforeVmnet() throws {
        let libvirt = try LibvirtHost.get()
        let world = Self.world(on: libvirt)
        try Self.startLibvirtDefault(libvirt)
        defer { Self.removeLibvirtDefault(libvirt) }
        let client = try world.sandbox.addClient(on: "virbr0", in: world.host)
        let before = try Self.libvirtFootprint(world)
        try #require(before.contains("LIBVIRT_FWI") && before.contains("192.168.122.1/24") && before.contains("dnsmasq"), "\(before)")

        try world.ok("create", "lvfirst")
        defer { _ = try? world.vmnet("destroy", "lvfirst") }
        // libvirt's rejects only match virbr0: vmnet adds no accepts for them.
        #expect(!(try world.inHost("iptables", "-S").standardOutput.contains("vmnet:lvfirst")))
        try Self.checkVmnetNetwork(world, "lvfirst", beside: Self.libvirtSubnet, tag: "lb")
        try Self.checkLibvirtClient(world, client: client)

        try world.ok("destroy", "lvfirst")
        #expect(try Self.libvirtFootprint(world) == before)
        try Self.checkLibvirtClient(world, client: client)
    }

    @Test func libvirtsDefaultNetworkStartedAfterVmnetAndDestroyedUnderIt() throws {
        let libvirt = try LibvirtHost.get()
        let world = Self.world(on: libvirt)
        try world.ok("create", "lvafter")
        defer { _ = try? world.vmnet("destroy", "lvafter") }
        try Self.startLibvirtDefault(libvirt)
        defer { Self.removeLibvirtDefault(libvirt) }
        let client = try world.sandbox.addClient(on: "virbr0", in: world.host)
        try Self.checkVmnetNetwork(world, "lvafter", beside: Self.libvirtSubnet, tag: "la")
        try Self.checkLibvirtClient(world, client: client)

        // libvirt takes its network away: vmnet's keeps working, and its subnet stays libvirt's
        // while it is defined (vmnet reads the definition).
        try libvirt.virsh("net-destroy default").requireSuccess("stopping libvirt's default network")
        try Self.checkVmnetNetwork(world, "lvafter", beside: Self.libvirtSubnet, tag: "ld")
        #expect(try world.vmnet("create", "ldclash", "--subnet", "192.168.122.0/24").standardError.contains("libvirt network 'default'"))

        try libvirt.virsh("net-start default").requireSuccess("starting libvirt's default network again")
        let started = try world.sandbox.addClient(on: "virbr0", in: world.host)
        let before = try Self.libvirtFootprint(world)
        try world.ok("destroy", "lvafter")
        #expect(try Self.libvirtFootprint(world) == before)
        try Self.checkLibvirtClient(world, client: started)
    }

    /// A container on podman's own `podman` network, resolving through the fake upstream,
    /// sleeping; its id. The caller removes it.
    static func runContainer(_ podman: PodmanHarness) throws -> String {
        let started = try podman.podman(["run", "-d", "--network", "podman", "--dns", Sandbox.uplinkAddress.description, "localhost/vmnet-bb", "sleep", "300"])
        try #require(started.succeeded, "\(started.standardError)")
        return started.standardOutput.filter { !$0.isWhitespace }
    }

    @Test func podmansDefaultNetworkWithAContainerBesideVmnet() throws {
        let world = try VmnetWorld("pd")
        try Traffic.startEcho(in: world.uplink, sandbox: world.sandbox)
        let podman = try PodmanHarness(world: world, backend: "netavark", networkDirectory: world.sandbox.directory + "/podman-networks")
        let container = try Self.runContainer(podman)
        defer { _ = try? podman.podman(["rm", "-f", "-t", "0", container]) }
        let containerGetsOut = {
            try podman.podman(["exec", container, "sh", "-c", """
                nslookup -type=a x.\(Sandbox.fakeDomain) \(Sandbox.uplinkAddress) | grep -q \(Sandbox.fakeAnswer) && echo NAME_OK
                echo vmnet | nc -w 2 \(Sandbox.uplinkAddress) \(Traffic.port) | grep -q vmnet && echo TCP_OK
                true
                """]).standardOutput
        }
        let before = try Self.footprint(of: world, chains: "NETAVARK", bridge: "podman0")
        try #require(before.contains("NETAVARK_FORWARD") && before.contains("10.88.0.1/16"), "\(before)")
        #expect(try containerGetsOut().contains("NAME_OK"))

        try world.ok("create", "pweb")
        try Self.checkVmnetNetwork(world, "pweb", beside: Self.podmanSubnet, tag: "pd")
        let output = try containerGetsOut()
        #expect(output.contains("NAME_OK") && output.contains("TCP_OK"), "\(output)")

        try world.ok("destroy", "pweb")
        let after = try Self.footprint(of: world, chains: "NETAVARK", bridge: "podman0")
        #expect(after == before, "before:\n\(before)\nafter:\n\(after)")
        #expect(try containerGetsOut().contains("TCP_OK"))
    }
}
