/// What now overlaps an existing network's subnet: the allocator's claims (addresses,
/// routes, other tools' networks) and other vmnet networks. Addresses and routes on vmnet's
/// own bridges are the networks themselves. Nameservers do not count here: a resolv.conf
/// may name a vmnet gateway on purpose.
public enum SubnetCollision {
    /// The conflicts of each of `records` in one family, with the host's claims gathered once
    /// (`list` judges hundreds of networks). Only networks that collide have an entry.
    @inlinable public static func conflicts<Address: AddressFamily>(
        of family: Address.Type, for records: [NetworkRecord], host: HostSnapshot, networks: [NetworkRecord]
    ) -> [NetworkName: [SubnetClaim<Address>]] {
        let bridges = Set((networks + records).map(\.bridge))
        let claims = SubnetAllocator(claims: ClaimCollector.claims(of: family, host: host, networks: [], ignoring: bridges, nameservers: false))
        let subnets = networks.compactMap { network in Address.subnet(of: network).map { (name: network.name, subnet: $0) } }
        var result: [NetworkName: [SubnetClaim<Address>]] = [:]
        for record in records {
            guard let subnet = Address.subnet(of: record) else { continue }
            let others = subnets.filter { $0.name != record.name && $0.subnet.overlaps(subnet) }
                .map { SubnetClaim(subnet: $0.subnet, origin: "vmnet network '\($0.name)'") }
            let found = (claims.isFree(subnet) ? [] : claims.conflicts(with: subnet)) + others
            if !found.isEmpty { result[record.name] = found }
        }
        return result
    }

    /// "SUBNET collides with A, B" for each family that collides, or nil when neither does.
    public static func describe(
        _ network: NetworkRecord, _ conflicts: [SubnetClaim<IPv4Address>], _ conflicts6: [SubnetClaim<IPv6Address>]
    ) -> String? {
        let parts = [sentence(network.subnet, conflicts), network.subnet6.flatMap { sentence($0, conflicts6) }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private static func sentence<Address>(_ subnet: Subnet<Address>, _ conflicts: [SubnetClaim<Address>]) -> String? {
        conflicts.isEmpty ? nil : "\(subnet) collides with " + conflicts.prefix(3).map(\.origin).joined(separator: ", ")
    }

    /// The refusal `up` gives when something took the subnet since `create`.
    public static func error(for network: NetworkRecord, collision: String) -> VmnetError {
        .conflict("bringing '\(network.name)' up: \(collision) since it was created: remove that, or destroy the network and create it again on a free subnet")
    }
}
