import JSON

/// Reads what `ip -j` prints. Kept apart from running `ip` so tests feed it canned output.
public enum IprouteParser {
    /// `ip -j -4 route show table all`.
    public static func routes(fromJSON text: String) throws(JSONError) -> [HostRoute<IPv4Address>] {
        try entries(text, source: "ip route", destination: { IPv4Subnet(routeDestination: $0) }).map {
            HostRoute(destination: $0.destination, table: $0.table, device: $0.device, type: $0.type)
        }
    }

    /// `ip -j -6 route show table all`.
    public static func routes6(fromJSON text: String) throws(JSONError) -> [HostRoute<IPv6Address>] {
        try entries(text, source: "ip -6 route", destination: { IPv6Subnet(routeDestination: $0) }).map {
            HostRoute(destination: $0.destination, table: $0.table, device: $0.device, type: $0.type)
        }
    }

    /// The routes of either family with a destination (not `default`) that `destination` reads.
    private static func entries<Subnet>(
        _ text: String, source: String, destination parse: (String) -> Subnet?
    ) throws(JSONError) -> [(destination: Subnet, table: String, device: String?, type: String)] {
        let root = try JSONCodec.parse(text, source: source)
        return (root.arrayValue ?? []).compactMap { entry in
            guard let destination = entry["dst"]?.stringValue, destination != "default", let subnet = parse(destination) else { return nil }
            return (subnet, entry["table"]?.stringValue ?? "main", entry["dev"]?.stringValue, entry["type"]?.stringValue ?? "unicast")
        }
    }
}
