import VmnetCore

/// Addresses containers hold on a network, where vmnet can see them: CNI's host-local IPAM
/// keeps one file per address (named by the address, holding the container id). netavark
/// keeps its allocations in a database of its own that vmnet does not read; containers of
/// both backends are seen through what vmnet's OCI hook registered.
public struct ContainerAddresses: Sendable {
    public let cniStateDirectory: String
    public let registry: ContainerRegistry

    public init(environment: [String: String], registry: ContainerRegistry) {
        cniStateDirectory = Paths.Directory.cniState.path(in: environment)
        self.registry = registry
    }

    public func addresses(of network: NetworkRecord) -> [(ip: IPv4Address, id: String)] {
        let directory = cniStateDirectory + "/\(network.name)"
        return registry.host.list(directory).compactMap { entry in
            guard let ip = IPv4Address(entry), network.subnet.contains(ip) else { return nil }
            let id = registry.host.readIfPresent(directory + "/" + entry)?.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return (ip, String(id.prefix(12)))
        }
    }

    /// What the OCI hook registered, without containers whose process is gone (a hook that
    /// never ran at `poststop`).
    public func registrations(in files: DnsmasqFiles) throws(VmnetError) -> [ContainerRegistration] {
        try registry.running(files)
    }
}
