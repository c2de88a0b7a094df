import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("Runtimes join the bridge, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct RuntimeTests {
    static let programs = ["podman", "nsenter", "tar", "virsh", "virt-xml-validate", "virt-qemu-run", "qemu-system-x86_64"]

    init() throws {
        let missing = RuntimeTests.programs.filter { ExecutableLocator.find($0) == nil }
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test")
    }

    /// A container on a NAT network: an address from the container range, the gateway, a DHCP
    /// client on the same bridge, names through vmnet's dnsmasq, and the uplink through NAT.
    private func checkContainer(backend: String, install flag: String, directoryVariable: String) throws {
        let world = try VmnetWorld(String(backend.prefix(2)))
        let networkDirectory = world.sandbox.directory + "/\(backend)-networks"
        let name = "\(backend)-\(getpid())"
        try world.ok("create", name)
        let installed = try world.vmnet(["install", name, flag], environment: [directoryVariable: networkDirectory])
        #expect(installed.succeeded, "\(installed.standardError)")
        let network = try world.network(name)
        let gateway = try world.gateway(name)
        let bridge = try world.bridge(name)
        let (_, lease) = try world.leasedClient(on: name, hostname: "vm")
        let podman = try PodmanHarness(world: world, backend: backend, networkDirectory: networkDirectory)

        let result = try podman.runScript(on: name, dns: gateway.description, """
            ip -4 -o address show eth0
            ping -c1 -W2 \(gateway) >/dev/null && echo GATEWAY_OK
            ping -c1 -W2 \(lease.address) >/dev/null && echo CLIENT_OK
            nslookup -type=a vm.\(name).vmnet \(gateway) | grep -q '\(lease.address)' && echo NAME_OK
            ping -c1 -W2 \(Sandbox.uplinkAddress) >/dev/null && echo UPLINK_OK
            true
            """)
        #expect(result.succeeded, "\(result.standardError)")
        let output = result.standardOutput
        let address = output.split(separator: " ").first { $0.contains("/") && $0.contains(".") }.flatMap { IPv4Address($0.split(separator: "/")[0]) }
        let start = try #require(network["container_range"]?["start"]?.stringValue.flatMap { IPv4Address($0) })
        let end = try #require(network["container_range"]?["end"]?.stringValue.flatMap { IPv4Address($0) })
        #expect(address.map { IPv4Range(start: start, end: end).contains($0) } == true, "container address: \(output)")
        for mark in ["GATEWAY_OK", "CLIENT_OK", "NAME_OK", "UPLINK_OK"] { #expect(output.contains(mark), "\(mark) missing in: \(output)") }

        if backend == "cni" {
            // CNI's host-local allocations are visible: a running container shows in `leases`.
            let started = try podman.podman(["run", "-d", "--network", name, "localhost/vmnet-bb", "sleep", "60"])
            #expect(started.succeeded, "\(started.standardError)")
            let entries = try JSONCodec.parse(try world.ok("leases", name, "--json").standardOutput, source: "leases").arrayValue ?? []
            let container = entries.first { $0["source"]?.stringValue == "container" }
            let ip = container?["ip"]?.stringValue.flatMap { IPv4Address($0) }
            #expect(ip.map { IPv4Range(start: start, end: end).contains($0) } == true, "leases: \(entries)")
            #expect(entries.contains { $0["source"]?.stringValue == "dhcp" && $0["ip"]?.stringValue == lease.address.description })
            _ = try podman.podman(["rm", "-f", "-t", "0", started.standardOutput.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""])
        }

        // The container is gone; the bridge must still be there and the network up.
        #expect(try world.links().contains(bridge))
        #expect(try world.network(name)["state"]?.stringValue == "up")

        try world.vmnet(["destroy", name], environment: [directoryVariable: networkDirectory]).requireSuccess("destroy")
        let leftovers = FileSystem.list(networkDirectory).filter { $0.hasPrefix(name) }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test func podmanNetavarkContainerJoinsTheNetwork() throws {
        try checkContainer(backend: "netavark", install: "--podman", directoryVariable: "VMNET_PODMAN_DIR")
    }

    @Test func podmanCNIContainerJoinsTheNetwork() throws {
        try checkContainer(backend: "cni", install: "--cni", directoryVariable: "VMNET_CNI_DIR")
    }

    @Test func aPodmanContainerOnAHostOnlyNetworkStaysInside() throws {
        let world = try VmnetWorld("ph")
        let directory = world.sandbox.directory + "/netavark-networks"
        try world.ok("create", "inside", "--profile", "host-only")
        try world.vmnet(["install", "inside", "--podman"], environment: ["VMNET_PODMAN_DIR": directory]).requireSuccess("install")
        let gateway = try world.gateway("inside")
        let podman = try PodmanHarness(world: world, backend: "netavark", networkDirectory: directory)
        // NET_ADMIN lets the container route via the gateway, so vmnet's rules are what stop it.
        let result = try podman.runScript(on: "inside", dns: gateway.description, options: ["--cap-add", "NET_ADMIN"], """
            ping -c1 -W2 \(gateway) >/dev/null && echo GATEWAY_OK
            ip route replace default via \(gateway) && echo ROUTED
            ping -c1 -W2 \(Sandbox.uplinkAddress) >/dev/null && echo UPLINK_REACHED
            true
            """)
        #expect(result.succeeded, "\(result.standardError)")
        #expect(result.standardOutput.contains("GATEWAY_OK"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("ROUTED"), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("UPLINK_REACHED"))
        #expect(try world.network("inside")["state"]?.stringValue == "up")
    }

    @Test func reservedPodmanNamesAreRefused() throws {
        let world = try VmnetWorld("rn")
        try world.ok("create", "host", "--no-start")
        let before = try world.footprint()
        let result = try world.vmnet(["install", "host", "--podman"], environment: ["VMNET_PODMAN_DIR": world.sandbox.directory + "/pn"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("podman gives '--network host' a meaning"))
        #expect(!FileSystem.exists(world.sandbox.directory + "/pn/host.json"))
        #expect(try world.footprint() == before)
    }

    @Test func libvirtXMLValidatesAndDefines() throws {
        let world = try VmnetWorld("lx")
        try world.ok("create", "virt", "--mtu", "1400")
        let directory = world.sandbox.directory
        let network = try world.ok("export", "virt", "--format", "libvirt-network").standardOutput
        try FileSystem.writeAtomically(network, to: directory + "/net.xml")
        try world.sandbox.runner.run(["virt-xml-validate", directory + "/net.xml", "network"]).requireSuccess("validating the network XML")
        for attach in ["network", "bridge"] {
            let interface = try world.ok("export", "virt", "--format", "libvirt-interface", "--attach", attach).standardOutput
            #expect(interface.contains("<mtu size='1400'/>"))
            try FileSystem.writeAtomically(RuntimeTests.domain(name: "d-\(attach)", interface: interface), to: directory + "/dom-\(attach).xml")
            try world.sandbox.runner.run(["virt-xml-validate", directory + "/dom-\(attach).xml", "domain"]).requireSuccess("validating the domain XML")
        }
        try world.sandbox.runner.run(["virsh", "-q", "-c", "test:///default", "net-define \(directory)/net.xml; net-start virt; define \(directory)/dom-network.xml"])
            .requireSuccess("defining under test:///default")

        let environment = ["VMNET_LIBVIRT_URI": "test:///default"]
        let installed = try world.vmnet(["install", "virt", "--libvirt"], environment: environment)
        #expect(installed.succeeded, "\(installed.standardError)")
        #expect(installed.standardOutput.contains("defined, autostarted and started"))
        let shown = try JSONCodec.parse(try world.vmnet(["show", "virt", "--json"], environment: environment).standardOutput, source: "show")
        #expect(shown["installed"]?["libvirt"]?["defined"] == .bool(true))
        try world.vmnet(["uninstall", "virt"], environment: environment).requireSuccess("uninstall")
        #expect(!FileSystem.exists(world.stateDirectory + "/networks/virt/libvirt-network.xml"))
    }

    @Test func withoutLibvirtTheXMLIsWrittenAndTheMessageSaysWhatToRun() throws {
        let world = try VmnetWorld("lw")
        try world.ok("create", "nolv", "--no-start")
        // No URI and (in the sandbox) no libvirt socket: vmnet must not try to define it.
        guard !["/run/libvirt/libvirt-sock", "/run/libvirt/virtnetworkd-sock"].contains(where: FileSystem.exists) else { return }
        let result = try world.ok("install", "nolv", "--libvirt")
        #expect(result.standardOutput.contains("virsh net-define"))
        #expect(FileSystem.exists(world.stateDirectory + "/networks/nolv/libvirt-network.xml"))
    }

    /// A diskless TCG guest started through libvirt network-boots: its firmware's DHCP must
    /// get a lease from vmnet's dnsmasq.
    @Test func aRealGuestGetsALeaseThroughLibvirt() throws {
        let world = try VmnetWorld("vm")
        try world.ok("create", "guests")
        let mac = "52:54:00:0e:0e:01"
        let interface = try world.ok("export", "guests", "--format", "libvirt-interface", "--attach", "bridge").standardOutput
            .replacing("<model", with: "<mac address='\(mac)'/>\n  <model")
        let root = world.sandbox.directory + "/libvirt-root"
        try FileSystem.makeDirectories(root + "/etc")
        try FileSystem.writeAtomically("""
            user = "root"
            group = "root"
            security_driver = "none"
            stdio_handler = "file"
            namespaces = []
            cgroup_controllers = []

            """, to: root + "/etc/qemu.conf")
        let domainFile = world.sandbox.directory + "/guest.xml"
        try FileSystem.writeAtomically(RuntimeTests.domain(name: "vmnet-guest-\(getpid())", interface: interface, networkBoot: true), to: domainFile)
        // virt-qemu-run stays in the foreground while the guest runs: start it in the
        // background inside the host namespace; the sandbox kills it with the namespace.
        let log = world.sandbox.directory + "/virt-qemu-run.log"
        try world.sandbox.runner.run(["sh", "-c", "nsenter --net=/run/netns/\(world.host) virt-qemu-run -r \(root) \(domainFile) >\(log) 2>&1 &"])
            .requireSuccess("starting the guest")
        let leases = world.stateDirectory + "/networks/guests/leases"
        var leased = false
        for _ in 0..<120 where !leased {
            usleep(500_000)
            leased = FileSystem.readIfPresent(leases)?.contains(mac) == true
        }
        #expect(leased, "no lease for \(mac); virt-qemu-run said: \(FileSystem.readIfPresent(log) ?? "")")
        let ports = try world.inHost("ip", "-o", "link", "show", "master", "vmn-guests").standardOutput
        #expect(ports.contains("vnet"), "the guest's tap is not on the bridge: \(ports)")
    }

    static func domain(name: String, interface: String, networkBoot: Bool = false) -> String {
        """
        <domain type='qemu'>
          <name>\(name)</name>
          <memory unit='MiB'>96</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64' machine='pc'>hvm</type>\(networkBoot ? "<boot dev='network'/>" : "")</os>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
        \(interface)    <serial type='null'/>
            <graphics type='vnc' port='-1' listen='127.0.0.1'/>
          </devices>
        </domain>

        """
    }
}
