/// Lists every subnet of one family a new vmnet network must not overlap.
public enum ClaimCollector {
    @inlinable public static func claims<Address: AddressFamily>(
        of family: Address.Type, host: HostSnapshot, networks: [NetworkRecord]
    ) -> [SubnetClaim<Address>] {
        // A vmnet bridge's own routes and address are reported once, as the vmnet network.
        claims(of: family, host: host, networks: networks, ignoring: Set(networks.map(\.bridge)), nameservers: true)
    }

    /// `ignoring`: interfaces whose routes and addresses are not claims. `nameservers`: whether
    /// resolv.conf's nameservers are (a resolv.conf may name a vmnet gateway on purpose).
    @inlinable static func claims<Address: AddressFamily>(
        of family: Address.Type, host: HostSnapshot, networks: [NetworkRecord], ignoring bridges: Set<String>, nameservers: Bool
    ) -> [SubnetClaim<Address>] {
        var claims: [SubnetClaim<Address>] = []
        let linkLocal = Address.linkLocal, shortest = Address.shortestClaimedRoute, unclaimedTypes = Address.unclaimedRouteTypes
        for route in host[keyPath: Address.routes] where route.destination.prefixLength >= shortest {
            // local and broadcast routes only mirror interface addresses, claimed below.
            guard !unclaimedTypes.contains(route.type), !(linkLocal?.overlaps(route.destination) ?? false) else { continue }
            if let device = route.device, bridges.contains(device) { continue }
            let device = route.device.map { " dev \($0)" } ?? ""
            let table = route.table == "main" ? "" : " table \(route.table)"
            claims.append(SubnetClaim(subnet: route.destination, origin: "route \(route.destination)\(device)\(table)"))
        }
        for address in host[keyPath: Address.addresses] where !bridges.contains(address.interface) && !(linkLocal?.contains(address.address) ?? false) {
            claims.append(SubnetClaim(subnet: address.subnet, origin: "address \(address.address)/\(address.prefixLength) on \(address.interface)"))
        }
        for network in networks {
            if let subnet = Address.subnet(of: network) { claims.append(SubnetClaim(subnet: subnet, origin: "vmnet network '\(network.name)'")) }
        }
        for foreign in host[keyPath: Address.foreignNetworks] {
            claims.append(SubnetClaim(subnet: foreign.subnet, origin: "\(foreign.owner) network '\(foreign.name)' (\(foreign.file))"))
        }
        guard nameservers else { return claims }
        for server in host[keyPath: Address.nameservers] where !(linkLocal?.contains(server) ?? false) {
            claims.append(SubnetClaim(subnet: Subnet(containing: server, prefixLength: Address.bitWidth), origin: "nameserver \(server) in resolv.conf"))
        }
        return claims
    }
}
