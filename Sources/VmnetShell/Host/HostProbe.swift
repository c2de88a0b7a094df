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
            snapshot.routes = try routes(of: IPv4Address.self)
            snapshot.routes6 = try routes(of: IPv6Address.self)
            (snapshot.foreignNetworks, snapshot.foreignNetworks6) = foreignNetworks()
        }
        let resolvConf = host.readIfPresent("/etc/resolv.conf") ?? ""
        snapshot.nameservers = ResolvConf.nameservers(in: resolvConf)
        snapshot.nameservers6 = ResolvConf.nameservers(in: resolvConf)
        snapshot.resolvedStubListening = SocketTable.hasListener(
            in: host.readIfPresent("/proc/net/udp") ?? "", address: IPv4Address("127.0.0.53")!, port: 53)
        return snapshot
    }

    /// Every route of one family, in every table.
    private func routes<Address: AddressFamily>(of family: Address.Type) throws(VmnetError) -> [HostRoute<Address>] {
        let output = try runner.check(["ip", "-j", Address.ipOption, "route", "show", "table", "all"], doing: "reading \(Address.qualifier)routes")
        do {
            return try IprouteParser.routes(of: family, fromJSON: output.standardOutput)
        } catch {
            throw .failed("reading the host's \(Address.qualifier)routes: \(error)")
        }
    }

    /// The IPv4 policy-routing rules, in priority order (doctor judges what a VPN's route does with them).
    public func rules() throws(VmnetError) -> [PolicyRule] {
        let output = try runner.check(["ip", "-j", "-4", "rule", "show"], doing: "reading the policy-routing rules")
        do {
            return try IprouteParser.rules(fromJSON: output.standardOutput)
        } catch {
            throw .failed("reading the host's policy-routing rules: \(error)")
        }
    }

    /// Both families' subnets from each Podman and libvirt file, each file read and parsed once.
    private func foreignNetworks() -> (v4: [ForeignNetwork<IPv4Address>], v6: [ForeignNetwork<IPv6Address>]) {
        var v4: [ForeignNetwork<IPv4Address>] = [], v6: [ForeignNetwork<IPv6Address>] = []
        for entry in host.list(podmanDirectory) where entry.hasSuffix(".json") {
            let file = podmanDirectory + "/" + entry
            guard let text = host.readIfPresent(file),
                let parsed = ForeignNetworkFiles.podmanSubnets(json: text, file: file), !parsed.vmnetOwned
            else { continue }
            v4 += parsed.subnets.map { ForeignNetwork(owner: "podman", name: parsed.name, file: file, subnet: $0) }
            v6 += parsed.subnets6.map { ForeignNetwork(owner: "podman", name: parsed.name, file: file, subnet: $0) }
        }
        for entry in host.list(libvirtNetworksDirectory) where entry.hasSuffix(".xml") {
            let file = libvirtNetworksDirectory + "/" + entry
            guard let text = host.readIfPresent(file) else { continue }
            let parsed = ForeignNetworkFiles.libvirtSubnets(xml: text)
            let name = parsed.name ?? String(entry.dropLast(4))
            v4 += parsed.subnets.map { ForeignNetwork(owner: "libvirt", name: name, file: file, subnet: $0) }
            v6 += parsed.subnets6.map { ForeignNetwork(owner: "libvirt", name: name, file: file, subnet: $0) }
        }
        return (v4, v6)
    }
}
