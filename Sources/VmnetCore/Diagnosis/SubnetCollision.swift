/// What now overlaps an existing network's subnet: the allocator's claims (addresses,
/// routes, other tools' networks) and other vmnet networks. Addresses and routes on vmnet's
/// own bridges are the networks themselves. Nameservers do not count here: a resolv.conf
/// may name a vmnet gateway on purpose.
public enum SubnetCollision {
    /// The conflicts of each of `records`, with the host's claims gathered once (`list`
    /// judges hundreds of networks).
    public static func conflicts(for records: [NetworkRecord], host: HostSnapshot, networks: [NetworkRecord]) -> [NetworkName: [SubnetClaim]] {
        let bridges = Set((networks + records).map(\.bridge))
        var host = host
        host.nameservers = []
        host.addresses.removeAll { bridges.contains($0.interface) }
        host.routes.removeAll { $0.device.map(bridges.contains) ?? false }
        let claims = SubnetAllocator(claims: ClaimCollector.claims(host: host, networks: []))
        let subnets = networks.map { (name: $0.name, subnet: $0.subnet) }
        var result: [NetworkName: [SubnetClaim]] = [:]
        for record in records {
            let others = subnets.filter { $0.name != record.name && $0.subnet.overlaps(record.subnet) }
                .map { SubnetClaim(subnet: $0.subnet, origin: "vmnet network '\($0.name)'") }
            result[record.name] = (claims.isFree(record.subnet) ? [] : claims.conflicts(with: record.subnet)) + others
        }
        return result
    }

    public static func conflicts(for network: NetworkRecord, host: HostSnapshot, networks: [NetworkRecord]) -> [SubnetClaim] {
        conflicts(for: [network], host: host, networks: networks)[network.name] ?? []
    }

    /// The refusal `up` gives when something took the subnet since `create`.
    public static func error(for network: NetworkRecord, conflicts: [SubnetClaim]) -> VmnetError {
        .conflict("bringing '\(network.name)' up: its subnet \(network.subnet) now collides with "
            + conflicts.prefix(3).map(\.origin).joined(separator: ", ")
            + ": remove that, or destroy the network and create it again on a free subnet")
    }
}
