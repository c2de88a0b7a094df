import JSON
import VmnetCore

/// Reads the host into a `HostSnapshot` once per command: interfaces and addresses of both
/// families through one getifaddrs, routes of both families through `ip` only when allocating,
/// and a few files.
public struct HostProbe: Sendable {
    public let runner: CommandRunner
    public let podmanDirectory: String
    public let libvirtNetworksDirectory: String

    public let host: HostReader

    public init(runner: CommandRunner, environment: [String: String], host: HostReader = SystemHost()) {
        self.runner = runner
        self.host = host
        podmanDirectory = environment["VMNET_PODMAN_DIR"] ?? "/etc/containers/networks"
        libvirtNetworksDirectory = environment["VMNET_LIBVIRT_NETWORKS_DIR"] ?? "/etc/libvirt/qemu/networks"
    }

    /// `forAllocation` adds what only choosing a subnet needs: every route and the other
    /// tools' network definitions.
    public func snapshot(forAllocation: Bool = false) throws(VmnetError) -> HostSnapshot {
        var snapshot = HostSnapshot()
        (snapshot.interfaces, snapshot.addresses, snapshot.addresses6) = try host.addressTable()
        if forAllocation {
            if host.executable("ip") == nil { throw ExecutableLocator.missing("ip") }
            let routesOutput = try runner.check(["ip", "-j", "-4", "route", "show", "table", "all"], doing: "reading routes")
            do {
                snapshot.routes = try IprouteParser.routes(fromJSON: routesOutput.standardOutput)
            } catch {
                throw .failed("reading the host's routes: \(error)")
            }
            let routes6Output = try runner.check(["ip", "-j", "-6", "route", "show", "table", "all"], doing: "reading IPv6 routes")
            do {
                snapshot.routes6 = try IprouteParser.routes6(fromJSON: routes6Output.standardOutput)
            } catch {
                throw .failed("reading the host's IPv6 routes: \(error)")
            }
            (snapshot.foreignNetworks, snapshot.foreignNetworks6) = foreignNetworks()
        }
        let resolvConf = FileSystem.readIfPresent("/etc/resolv.conf") ?? ""
        snapshot.nameservers = ResolvConf.nameservers(in: resolvConf)
        snapshot.nameservers6 = ResolvConf.nameservers(in: resolvConf)
        snapshot.resolvedStubListening = SocketTable.hasListener(
            in: FileSystem.readIfPresent("/proc/net/udp") ?? "", address: IPv4Address("127.0.0.53")!, port: 53)
        return snapshot
    }

    /// Both families' subnets from each Podman and libvirt file, each file read and parsed once.
    private func foreignNetworks() -> (v4: [ForeignNetwork<IPv4Address>], v6: [ForeignNetwork<IPv6Address>]) {
        var v4: [ForeignNetwork<IPv4Address>] = [], v6: [ForeignNetwork<IPv6Address>] = []
        for entry in FileSystem.list(podmanDirectory) where entry.hasSuffix(".json") {
            let file = podmanDirectory + "/" + entry
            guard let text = FileSystem.readIfPresent(file),
                let parsed = ForeignNetworkFiles.podmanSubnets(json: text, file: file), !parsed.vmnetOwned
            else { continue }
            v4 += parsed.subnets.map { ForeignNetwork(owner: "podman", name: parsed.name, file: file, subnet: $0) }
            v6 += parsed.subnets6.map { ForeignNetwork(owner: "podman", name: parsed.name, file: file, subnet: $0) }
        }
        for entry in FileSystem.list(libvirtNetworksDirectory) where entry.hasSuffix(".xml") {
            let file = libvirtNetworksDirectory + "/" + entry
            guard let text = FileSystem.readIfPresent(file) else { continue }
            let parsed = ForeignNetworkFiles.libvirtSubnets(xml: text)
            let name = parsed.name ?? String(entry.dropLast(4))
            v4 += parsed.subnets.map { ForeignNetwork(owner: "libvirt", name: name, file: file, subnet: $0) }
            v6 += parsed.subnets6.map { ForeignNetwork(owner: "libvirt", name: name, file: file, subnet: $0) }
        }
        return (v4, v6)
    }
}
