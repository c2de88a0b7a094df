/// What now overlaps an existing network's subnet: the allocator's claims (addresses,
/// routes, other tools' networks, other vmnet networks), minus the network's own bridge.
/// Nameservers do not count here: a resolv.conf may name a vmnet gateway on purpose.
public enum SubnetCollision {
    public static func conflicts(for network: NetworkRecord, host: HostSnapshot, networks: [NetworkRecord]) -> [SubnetClaim] {
        var host = host
        host.nameservers = []
        host.addresses.removeAll { $0.interface == network.bridge }
        host.routes.removeAll { $0.device == network.bridge }
        let others = networks.filter { $0.name != network.name }
        return SubnetAllocator(claims: ClaimCollector.claims(host: host, networks: others)).conflicts(with: network.subnet)
    }

    /// The refusal `up` gives when something took the subnet since `create`.
    public static func error(for network: NetworkRecord, conflicts: [SubnetClaim]) -> VmnetError {
        .conflict("bringing '\(network.name)' up: its subnet \(network.subnet) now collides with "
            + conflicts.prefix(3).map(\.origin).joined(separator: ", ")
            + ": remove that, or destroy the network and create it again on a free subnet")
    }
}
