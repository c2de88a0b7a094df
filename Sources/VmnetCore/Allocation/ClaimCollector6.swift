/// Lists every IPv6 subnet a new vmnet network's /64 must not overlap: the same sources as
/// for IPv4.
public enum ClaimCollector6 {
    /// Routes shorter than this do not count: the default route and a VPN's ::/1 + 8000::/1
    /// or 2000::/3 would otherwise block every prefix.
    public static let shortestRoutePrefix = 16

    /// fe80::/10: every interface has one; it never collides with a routed prefix.
    private static let linkLocal = IPv6Subnet("fe80::/10")!

    public static func claims(host: HostSnapshot, networks: [NetworkRecord]) -> [SubnetClaim6] {
        var claims: [SubnetClaim6] = []
        let vmnetBridges = Set(networks.map(\.bridge))
        for route in host.routes6 where route.destination.prefixLength >= shortestRoutePrefix {
            guard !["multicast", "local", "anycast", "broadcast"].contains(route.type), !linkLocal.overlaps(route.destination) else { continue }
            if let device = route.device, vmnetBridges.contains(device) { continue }
            let device = route.device.map { " dev \($0)" } ?? ""
            let table = route.table == "main" ? "" : " table \(route.table)"
            claims.append(SubnetClaim6(subnet: route.destination, origin: "route \(route.destination)\(device)\(table)"))
        }
        for address in host.addresses6 where !vmnetBridges.contains(address.interface) && !linkLocal.contains(address.address) {
            claims.append(SubnetClaim6(subnet: address.subnet, origin: "address \(address.address)/\(address.prefixLength) on \(address.interface)"))
        }
        for network in networks {
            if let subnet6 = network.subnet6 { claims.append(SubnetClaim6(subnet: subnet6, origin: "vmnet network '\(network.name)'")) }
        }
        for foreign in host.foreignNetworks6 {
            claims.append(SubnetClaim6(subnet: foreign.subnet, origin: "\(foreign.owner) network '\(foreign.name)' (\(foreign.file))"))
        }
        return claims
    }
}
