import JSON

/// One Ethernet interface inside a container's network namespace, with its IPv4 addresses
/// and its global IPv6 addresses (link-local ones say nothing about the network).
public struct ContainerInterface: Hashable, Sendable {
    public let name: String
    public let mac: MACAddress
    public let addresses: [IPv4Address]
    public let addresses6: [IPv6Address]

    public init(name: String, mac: MACAddress, addresses: [IPv4Address], addresses6: [IPv6Address] = []) {
        self.name = name
        self.mac = mac
        self.addresses = addresses
        self.addresses6 = addresses6
    }

    /// Parses `ip -j address` as run inside the namespace; loopback and links without an
    /// Ethernet address are left out.
    public static func parse(ipJSON text: String) throws(VmnetError) -> [ContainerInterface] {
        let value: JSONValue
        do { value = try JSONCodec.parse(text, source: "ip -j address") } catch {
            throw .failed("reading the container's interfaces: \(error)")
        }
        guard let links = value.arrayValue else { throw .failed("reading the container's interfaces: 'ip -j address' printed no array") }
        return links.compactMap { link in
            guard link["link_type"]?.stringValue == "ether", let name = link["ifname"]?.stringValue,
                let mac = link["address"]?.stringValue.flatMap({ MACAddress($0.lowercased()) })
            else { return nil }
            let addresses = (link["addr_info"]?.arrayValue ?? []).compactMap { info -> IPv4Address? in
                guard info["family"]?.stringValue == "inet" else { return nil }
                return info["local"]?.stringValue.flatMap { IPv4Address($0) }
            }
            let addresses6 = (link["addr_info"]?.arrayValue ?? []).compactMap { info -> IPv6Address? in
                guard info["family"]?.stringValue == "inet6", info["scope"]?.stringValue == "global" else { return nil }
                return info["local"]?.stringValue.flatMap { IPv6Address($0) }
            }
            return ContainerInterface(name: name, mac: mac, addresses: addresses, addresses6: addresses6)
        }
    }
}
