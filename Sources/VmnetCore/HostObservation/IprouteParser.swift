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

    /// `ip -j -4 rule show`. An entry without a priority or a table (a `goto`, `nop` or
    /// blackhole action) leads no lookup to a table: it is kept out of the lookup order.
    public static func rules(fromJSON text: String) throws(JSONError) -> [PolicyRule] {
        let root = try JSONCodec.parse(text, source: "ip -4 rule")
        let plain: Set<String> = ["priority", "src", "table", "suppress_prefixlen", "protocol", "flags"]
        return (root.arrayValue ?? []).compactMap { entry -> PolicyRule? in
            guard let priority = entry["priority"]?.intValue, let table = entry["table"]?.stringValue else { return nil }
            let keys = Set(entry.objectValue?.keys ?? [])
            let inverted = keys.contains("not")
            // `not` with a fwmark matches the unmarked traffic that goes to guests.
            let selective = keys.subtracting(plain).subtracting(inverted ? ["not", "fwmark"] : []).isEmpty == false
            let everyPacket = !selective && (entry["src"]?.stringValue ?? "all") == "all"
            return PolicyRule(priority: priority, table: table, matchesEveryPacket: everyPacket,
                              suppressPrefixLength: entry["suppress_prefixlen"]?.intValue)
        }.sorted { $0.priority < $1.priority }
    }
}
