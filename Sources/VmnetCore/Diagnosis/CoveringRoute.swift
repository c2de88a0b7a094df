/// A route through another interface over part of a network's subnet (a VPN's 10.0.0.0/8,
/// or the network's own /24 in WireGuard's table 51820), and what it does to the network's
/// traffic, given the host's policy rules. Pure: doctor's `subnet` check words it.
public struct CoveringRoute: Hashable, Sendable {
    public enum Effect: Hashable, Sendable {
        /// The lookup meets the bridge's own route first (more specific, or in an earlier
        /// table): the guests keep working; only the VPN's hosts in the subnet are out of reach.
        case bridgeWins
        /// The lookup meets this route before the bridge's: the host's traffic to those guests
        /// leaves through the route's interface.
        case takesGuestTraffic(PolicyRule)
        /// No rule's lookup reaches it now.
        case unreached
    }

    public let route: HostRoute<IPv4Address>
    public let effect: Effect

    /// Every route of `host` that overlaps `network`'s subnet through another interface, with
    /// its effect. The kernel walks the rules in priority order and stops at the first table
    /// with a matching route; within a table the longest prefix wins (for an equal prefix the
    /// bridge's connected route, metric 0, wins).
    public static func routes(covering network: NetworkRecord, host: HostSnapshot) -> [CoveringRoute] {
        let subnet = network.subnet
        let overlapping = host.routes.filter {
            $0.device != network.bridge && $0.destination.prefixLength >= IPv4Address.shortestClaimedRoute
                && !IPv4Address.unclaimedRouteTypes.contains($0.type) && $0.destination.overlaps(subnet)
        }
        let rules = (host.rules.isEmpty ? PolicyRule.defaults : host.rules).filter { $0.matchesEveryPacket && $0.table != "local" }
        return overlapping.map { route in
            CoveringRoute(route: route, effect: effect(of: route, subnet: subnet, among: overlapping, rules: rules))
        }
    }

    private static func effect(of route: HostRoute<IPv4Address>, subnet: IPv4Subnet, among overlapping: [HostRoute<IPv4Address>], rules: [PolicyRule]) -> Effect {
        guard rules.contains(where: { $0.table == route.table }) else { return .unreached }
        for rule in rules {
            let suppressed = rule.suppressPrefixLength ?? -1
            let bridgeHere = rule.table == "main" && subnet.prefixLength > suppressed
            if route.table == rule.table && route.destination.prefixLength > suppressed {
                return bridgeHere && route.destination.prefixLength <= subnet.prefixLength ? .bridgeWins : .takesGuestTraffic(rule)
            }
            if bridgeHere { return .bridgeWins }
            // Another route of this table answers for the whole subnet first.
            if overlapping.contains(where: { $0.table == rule.table && $0.destination.prefixLength > suppressed && $0.destination.prefixLength <= subnet.prefixLength }) {
                return .unreached
            }
        }
        return .unreached
    }

    /// What it does, in one clause after the collision sentence.
    public func explanation(for network: NetworkRecord) -> String {
        let device = route.device.map { " dev \($0)" } ?? ""
        let named = "route \(route.destination)\(device) (table \(route.table))"
        let through = route.device ?? "it"
        switch effect {
        case .bridgeWins:
            return "\(named) loses to the bridge's own route for the guests, so they still reach the host, each other and the way out, "
                + "but what the VPN has in \(network.subnet) is out of this host's reach"
        case .takesGuestTraffic(let rule):
            return "\(named), looked up by \(rule.description) before the bridge's route in main, takes the host's traffic to the guests: "
                + "replies from \(network.gateway) (DNS, TCP to the host) and NAT's return traffic leave through \(through), "
                + "so guests reach neither the host's services nor the way out; DHCP and guest-to-guest traffic still work"
        case .unreached:
            return "\(named) is looked up by no ip rule now: if one comes, traffic to the guests may leave through \(through)"
        }
    }

    /// The two ways out.
    public static func fix(for network: NetworkRecord) -> String {
        "vmnet set \(network.name) subnet=auto --replace (or destroy it and create it again on another subnet), "
            + "or narrow the VPN's route to leave \(network.subnet) out"
    }
}
