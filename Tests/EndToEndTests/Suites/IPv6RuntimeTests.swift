import Glibc
import JSON
import Testing
import VmnetCore
import VmnetShell

@Suite("Runtimes on dual-stack networks, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct IPv6RuntimeTests {
    init() throws {
        let missing = ["podman", "nsenter", "tar", "dig", "virsh", "libvirtd", "virt-xml-validate"].filter { ExecutableLocator.find($0) == nil }
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test")
    }

    /// A container on a NAT network with IPv6, either podman backend: an address in the /64
    /// from the containers' range (never DHCPv6's), a default route via the gateway `::1` that
    /// answers, and its name as AAAA through vmnet's hook and dnsmasq.
    @Test(arguments: ["netavark", "cni"])
    func containersGetAnIPv6AddressFromTheContainersRange(backend: String) throws {
        let world = try VmnetWorld("6" + String(backend.prefix(1)))
        let networkDirectory = world.sandbox.directory + "/\(backend)-networks"
        let (flag, variable) = backend == "cni" ? ("--cni", "VMNET_CNI_DIR") : ("--podman", "VMNET_PODMAN_DIR")
        let environment = [variable: networkDirectory, "VMNET_HOOKS_DIR": try #require(world.environment["VMNET_HOOKS_DIR"])]
        let name = "six"
        try world.ok("create", name)
        try world.vmnet(["install", name, flag], environment: environment).requireSuccess("install")
        let shown = try world.network(name)
        let subnet6 = try #require(shown["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) }, "no subnet6 in \(shown)")
        let gateway6 = try #require(shown["gateway6"]?.stringValue.flatMap { IPv6Address($0) })
        let plan = AddressPlan6(subnet: subnet6)
        let gateway = try world.gateway(name)
        let podman = try PodmanHarness(world: world, backend: backend, networkDirectory: networkDirectory, hooksDirectory: environment["VMNET_HOOKS_DIR"])
        defer { _ = try? podman.podman(["rm", "-f", "-t", "0", "web6"]) }

        let started = try podman.podman(["run", "-d", "--name", "web6", "--network", name, "--dns", gateway.description,
                                         "localhost/vmnet-bb", "sleep", "120"])
        try #require(started.succeeded, "\(started.standardError)")
        let shownAddresses = try podman.podman(["exec", "web6", "ip", "-6", "-o", "address", "show", "dev", "eth0", "scope", "global"])
        let addresses = shownAddresses.standardOutput.split(separator: " ").filter { $0.contains("/") }
            .compactMap { IPv6Address($0.split(separator: "/")[0]) }
        let address = try #require(addresses.first { plan.containers.contains($0) }, "no address of \(plan.containers) in: \(shownAddresses.standardOutput)")
        #expect(subnet6.contains(address) && !plan.dhcp.contains(address))
        let routes = try podman.podman(["exec", "web6", "ip", "-6", "route", "show", "default"]).standardOutput
        #expect(routes.contains("via \(gateway6)"), "default route: \(routes)")
        let ping = try podman.podman(["exec", "web6", "ping", "-c1", "-W2", gateway6.description])
        #expect(ping.succeeded, "ping \(gateway6): \(ping.standardOutput) \(ping.standardError)")

        // The hook has published the name before `podman run -d` returned; dnsmasq re-reads
        // its lists on SIGHUP, so allow it a moment on a loaded machine.
        var answer = ""
        for _ in 0..<50 where !answer.contains(address.description) {
            answer = try world.inHost("dig", "+short", "AAAA", "web6.\(name).vmnet", "@\(gateway)").standardOutput
            if !answer.contains(address.description) { usleep(100_000) }
        }
        #expect(answer.contains(address.description), "AAAA of web6 at \(address): '\(answer)'")

        _ = try podman.podman(["rm", "-f", "-t", "0", "web6"])
        try world.vmnet(["destroy", name], environment: environment).requireSuccess("destroy")
    }

    /// On a host-only network the container gets its IPv6 address and the on-link /64, but no
    /// default route (`internal: true`).
    @Test func aHostOnlyContainerGetsNoIPv6DefaultRoute() throws {
        let world = try VmnetWorld("6h")
        let directory = world.sandbox.directory + "/netavark-networks"
        try world.ok("create", "inside6", "--profile", "host-only")
        try world.vmnet(["install", "inside6", "--podman"], environment: ["VMNET_PODMAN_DIR": directory]).requireSuccess("install")
        let subnet6 = try #require(try world.network("inside6")["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) })
        let podman = try PodmanHarness(world: world, backend: "netavark", networkDirectory: directory)
        let result = try podman.runScript(on: "inside6", dns: try world.gateway("inside6").description, """
            ip -6 -o address show dev eth0 scope global
            echo ROUTES
            ip -6 route show default
            ping -c1 -W2 \(AddressPlan6(subnet: subnet6).gateway) >/dev/null && echo GATEWAY6_OK
            true
            """)
        #expect(result.succeeded, "\(result.standardError)")
        let parts = result.standardOutput.split(separator: "ROUTES", omittingEmptySubsequences: false)
        let address = parts[0].split(separator: " ").filter { $0.contains("/") }.compactMap { IPv6Address($0.split(separator: "/")[0]) }.first
        #expect(address.map { AddressPlan6(subnet: subnet6).containers.contains($0) } == true, "\(result.standardOutput)")
        #expect(parts.count == 2 && !parts[1].contains("default"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("GATEWAY6_OK"), "\(result.standardOutput)")
    }

    /// The real libvirtd defines and starts vmnet's network over a dual-stack bridge, and its
    /// start leaves the bridge's IPv6 alone.
    @Test func realLibvirtdStartsTheNetworkOfADualStackBridge() throws {
        let libvirt = try LibvirtHost.get()
        let world = libvirt.shared.world()
        let name = "lv6"
        try world.ok("create", name)
        let gateway6 = try #require(try world.network(name)["gateway6"]?.stringValue.flatMap { IPv6Address($0) })
        let bridge = try world.bridge(name)
        let file = world.sandbox.directory + "/lv6-network.xml"
        try FileSystem.writeAtomically(try world.ok("export", name, "--format", "libvirt-network").standardOutput, to: file)
        try world.sandbox.runner.run(["virt-xml-validate", file, "network"]).requireSuccess("validating the network XML")

        let environment = ["VMNET_LIBVIRT_URI": libvirt.uri]
        let installed = try world.vmnet(["install", name, "--libvirt"], environment: environment)
        #expect(installed.succeeded && installed.standardOutput.contains("defined, autostarted and started"), "\(installed.standardError)")
        let info = try libvirt.virsh("net-info \(name)").standardOutput
        #expect(info.contains("Active:") && info.contains("yes"), "\(info)")
        let addresses = try world.inHost("ip", "-6", "-o", "address", "show", "dev", bridge).standardOutput
        #expect(addresses.contains("\(gateway6)/64"), "the bridge lost its IPv6 gateway: \(addresses)")
        let disabled = try world.inHost("cat", "/proc/sys/net/ipv6/conf/\(bridge)/disable_ipv6").standardOutput
        #expect(disabled.hasPrefix("0"), "disable_ipv6 is \(disabled)")

        try world.vmnet(["destroy", name], environment: environment).requireSuccess("destroy")
        #expect(!(try libvirt.virsh("net-list --all --name").standardOutput.contains(name)))
    }
}
