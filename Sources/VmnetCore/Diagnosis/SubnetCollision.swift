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

    /// The same for the networks' /64s.
    public static func conflicts6(for records: [NetworkRecord], host: HostSnapshot, networks: [NetworkRecord]) -> [NetworkName: [SubnetClaim6]] {
        let bridges = Set((networks + records).map(\.bridge))
        var host = host
        host.addresses6.removeAll { bridges.contains($0.interface) }
        host.routes6.removeAll { $0.device.map(bridges.contains) ?? false }
        let claims = IPv6SubnetAllocator(claims: ClaimCollector6.claims(host: host, networks: []))
        var result: [NetworkName: [SubnetClaim6]] = [:]
        for record in records {
            guard let subnet6 = record.subnet6 else { continue }
            let others = networks.filter { $0.name != record.name && $0.subnet6.map(subnet6.overlaps) == true }
                .map { SubnetClaim6(subnet: $0.subnet6!, origin: "vmnet network '\($0.name)'") }
            let found = claims.conflicts(with: subnet6) + others
            if !found.isEmpty { result[record.name] = found }
        }
        return result
    }

    /// "SUBNET collides with A, B" for each family that collides, or nil when neither does.
    public static func describe(_ network: NetworkRecord, _ conflicts: [SubnetClaim], _ conflicts6: [SubnetClaim6]) -> String? {
        var parts: [String] = []
        if !conflicts.isEmpty { parts.append("\(network.subnet) collides with " + conflicts.prefix(3).map(\.origin).joined(separator: ", ")) }
        if let subnet6 = network.subnet6, !conflicts6.isEmpty {
            parts.append("\(subnet6) collides with " + conflicts6.prefix(3).map(\.origin).joined(separator: ", "))
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// The refusal `up` gives when something took the subnet since `create`.
    public static func error(for network: NetworkRecord, collision: String) -> VmnetError {
        .conflict("bringing '\(network.name)' up: \(collision) since it was created: remove that, or destroy the network and create it again on a free subnet")
    }
}
