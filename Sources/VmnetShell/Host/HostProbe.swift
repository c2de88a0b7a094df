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
        podmanDirectory = Paths.Directory.podmanNetworks.path(in: environment)
        libvirtNetworksDirectory = Paths.Directory.libvirtNetworks.path(in: environment)
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
        snapshot.nameservers = ResolvConf.nameservers(in: host.readIfPresent("/etc/resolv.conf") ?? "")
        snapshot.resolvedStubListening = SocketTable.hasListener(
            in: host.readIfPresent("/proc/net/udp") ?? "", address: IPv4Address("127.0.0.53")!, port: 53)
        return snapshot
    }

    /// Both families' subnets from each Podman and libvirt file, each file read and parsed once.
    private func foreignNetworks() -> (v4: [ForeignNetwork], v6: [ForeignNetwork6]) {
        var v4: [ForeignNetwork] = [], v6: [ForeignNetwork6] = []
        for entry in host.list(podmanDirectory) where entry.hasSuffix(".json") {
            let file = podmanDirectory + "/" + entry
            guard let text = host.readIfPresent(file),
                let parsed = ForeignNetworkFiles.podmanSubnets(json: text, file: file), !parsed.vmnetOwned
            else { continue }
            v4 += parsed.subnets.map { ForeignNetwork(owner: "podman", name: parsed.name, file: file, subnet: $0) }
            v6 += parsed.subnets6.map { ForeignNetwork6(owner: "podman", name: parsed.name, file: file, subnet: $0) }
        }
        for entry in host.list(libvirtNetworksDirectory) where entry.hasSuffix(".xml") {
            let file = libvirtNetworksDirectory + "/" + entry
            guard let text = host.readIfPresent(file) else { continue }
            let parsed = ForeignNetworkFiles.libvirtSubnets(xml: text)
            let name = parsed.name ?? String(entry.dropLast(4))
            v4 += parsed.subnets.map { ForeignNetwork(owner: "libvirt", name: name, file: file, subnet: $0) }
            v6 += parsed.subnets6.map { ForeignNetwork6(owner: "libvirt", name: name, file: file, subnet: $0) }
        }
        return (v4, v6)
    }
}
