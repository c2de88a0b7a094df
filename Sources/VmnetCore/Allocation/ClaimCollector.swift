/// Lists every subnet a new vmnet network must not overlap.
public enum ClaimCollector {
    /// Routes shorter than this do not count: default routes and a VPN's 0.0.0.0/1 +
    /// 128.0.0.0/1 split would otherwise block every private range.
    public static let shortestRoutePrefix = 8

    public static func claims(host: HostSnapshot, networks: [NetworkRecord]) -> [SubnetClaim] {
        var claims: [SubnetClaim] = []
        // A vmnet bridge's own routes and address are reported once, as the vmnet network.
        let vmnetBridges = Set(networks.map(\.bridge))
        for route in host.routes where route.destination.prefixLength >= shortestRoutePrefix {
            // local and broadcast routes only mirror interface addresses, claimed below.
            guard !["multicast", "local", "broadcast"].contains(route.type) else { continue }
            if let device = route.device, vmnetBridges.contains(device) { continue }
            let device = route.device.map { " dev \($0)" } ?? ""
            let table = route.table == "main" ? "" : " table \(route.table)"
            claims.append(SubnetClaim(subnet: route.destination, origin: "route \(route.destination)\(device)\(table)"))
        }
        for address in host.addresses where !vmnetBridges.contains(address.interface) {
            claims.append(SubnetClaim(subnet: address.subnet, origin: "address \(address.address)/\(address.prefixLength) on \(address.interface)"))
        }
        for network in networks {
            claims.append(SubnetClaim(subnet: network.subnet, origin: "vmnet network '\(network.name)'"))
        }
        for foreign in host.foreignNetworks {
            claims.append(SubnetClaim(subnet: foreign.subnet, origin: "\(foreign.owner) network '\(foreign.name)' (\(foreign.file))"))
        }
        for server in host.nameservers {
            claims.append(SubnetClaim(subnet: IPv4Subnet(containing: server, prefixLength: 32), origin: "nameserver \(server) in resolv.conf"))
        }
        return claims
    }
}
