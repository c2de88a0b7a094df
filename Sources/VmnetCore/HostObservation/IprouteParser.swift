import JSON

/// Reads what `ip -j` prints. Kept apart from running `ip` so tests feed it canned output.
public enum IprouteParser {
    /// `ip -j -4 route show table all`.
    public static func routes(fromJSON text: String) throws(JSONError) -> [HostRoute] {
        let root = try JSONCodec.parse(text, source: "ip route")
        return (root.arrayValue ?? []).compactMap { entry in
            guard let destination = entry["dst"]?.stringValue, destination != "default",
                let subnet = IPv4Subnet(routeDestination: destination)
            else { return nil }
            return HostRoute(
                destination: subnet,
                table: entry["table"]?.stringValue ?? "main",
                device: entry["dev"]?.stringValue,
                type: entry["type"]?.stringValue ?? "unicast")
        }
    }

    /// `ip -j -6 route show table all`.
    public static func routes6(fromJSON text: String) throws(JSONError) -> [HostRoute6] {
        let root = try JSONCodec.parse(text, source: "ip -6 route")
        return (root.arrayValue ?? []).compactMap { entry in
            guard let destination = entry["dst"]?.stringValue, destination != "default",
                let subnet = IPv6Subnet(routeDestination: destination)
            else { return nil }
            return HostRoute6(
                destination: subnet,
                table: entry["table"]?.stringValue ?? "main",
                device: entry["dev"]?.stringValue,
                type: entry["type"]?.stringValue ?? "unicast")
        }
    }
}
