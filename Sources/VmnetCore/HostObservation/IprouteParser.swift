import JSON

/// Reads what `ip -j` prints. Kept apart from running `ip` so tests feed it canned output.
public enum IprouteParser {
    /// `ip -j -4 route show table all` (or `-6`): the routes with a destination (not `default`).
    public static func routes<Address: AddressFamily>(of family: Address.Type, fromJSON text: String) throws(JSONError) -> [HostRoute<Address>] {
        let root = try JSONCodec.parse(text, source: "ip \(Address.ipOption) route")
        return (root.arrayValue ?? []).compactMap { entry in
            guard let destination = entry["dst"]?.stringValue, destination != "default", let subnet = Subnet<Address>(routeDestination: destination)
            else { return nil }
            return HostRoute(destination: subnet, table: entry["table"]?.stringValue ?? "main", device: entry["dev"]?.stringValue,
                             type: entry["type"]?.stringValue ?? "unicast")
        }
    }
}
