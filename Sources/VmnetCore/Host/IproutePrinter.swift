import JSON

/// Reads what `ip -j` prints. Kept apart from running `ip` so tests feed it canned output.
public enum IproutePrinter {
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

    /// `ip -j addr show`: every interface's name and its IPv4 addresses.
    public static func addresses(fromJSON text: String) throws(JSONError) -> (interfaces: Set<String>, addresses: [InterfaceAddress]) {
        let root = try JSONCodec.parse(text, source: "ip addr")
        var interfaces: Set<String> = []
        var addresses: [InterfaceAddress] = []
        for link in root.arrayValue ?? [] {
            guard let name = link["ifname"]?.stringValue else { continue }
            interfaces.insert(name)
            for info in link["addr_info"]?.arrayValue ?? [] where info["family"]?.stringValue == "inet" {
                guard let local = info["local"]?.stringValue, let address = IPv4Address(local),
                    let length = info["prefixlen"]?.intValue, (0...32).contains(length)
                else { continue }
                addresses.append(InterfaceAddress(interface: name, address: address, prefixLength: length))
            }
        }
        return (interfaces, addresses)
    }
}
