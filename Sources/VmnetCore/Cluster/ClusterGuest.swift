import JSON

/// A port of a cluster network with a fixed MAC and address and a name in the network's DNS
/// row: a VM's (`vmnet host add`) or a member host's own attachment. Its logical switch port
/// records it: addresses "MAC IP [IP6]", and who it is in external_ids.
public struct ClusterGuest: Hashable, Sendable {
    public enum Kind: String, Sendable {
        /// A VM: its port is its libvirt interfaceid.
        case guest
        /// A member host's attachment (`vmh-*` on that host).
        case member
    }

    public var kind: Kind
    /// The VM's name, or the member's chassis: the first label of its DNS name.
    public var name: String
    public var port: String
    public var mac: MACAddress
    public var ip: IPv4Address
    public var ip6: IPv6Address?

    public init(kind: Kind, name: String, port: String, mac: MACAddress, ip: IPv4Address, ip6: IPv6Address? = nil) {
        self.kind = kind
        self.name = name
        self.port = port
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
    }

    /// The external_ids key naming who the port is for.
    public enum Key {
        public static let guest = "vmnet-host"
        public static let member = "vmnet-member"
    }

    /// What the port's `addresses` holds (and so what OVN's DHCP hands out and port security allows).
    public var addresses: String { ([mac.description, ip.description] + (ip6.map { [$0.description] } ?? [])).joined(separator: " ") }

    public func dnsName(in network: NetworkName) -> String { "\(name.lowercased()).\(network.value).vmnet" }

    /// The PTR key OVN's DNS table takes for the IPv4 address: `d.c.b.a.in-addr.arpa`.
    public var reverseName: String {
        ((0..<4).map { String(ip.value >> UInt32(8 * $0) & 0xff) } + ["in-addr.arpa"]).joined(separator: ".")
    }

    /// The network's DNS records for this port: its name and the reverse of its address.
    public func dnsRecords(in network: NetworkName) -> [String: String] {
        [dnsName(in: network): ([ip.description] + (ip6.map { [$0.description] } ?? [])).joined(separator: " "), reverseName: dnsName(in: network)]
    }

    /// Reads a port back from its row (name, addresses, external_ids); nil for a port that
    /// is no guest or member of vmnet's (the router's, a container's, another tool's).
    public init?(portRow row: OVSDBRow) {
        let ids = row.map("external_ids")
        let kind: Kind, name: String
        if let guest = ids[Key.guest] {
            (kind, name) = (.guest, guest)
        } else if let member = ids[Key.member] {
            (kind, name) = (.member, member)
        } else {
            return nil
        }
        guard let port = row.string("name"), let words = row.strings("addresses").first?.split(separator: " "), words.count >= 2,
              let mac = MACAddress(String(words[0])), let ip = IPv4Address(String(words[1])) else { return nil }
        self.init(kind: kind, name: name, port: port, mac: mac, ip: ip, ip6: words.count > 2 ? IPv6Address(String(words[2])) : nil)
    }

    public var json: JSONValue {
        .object(["name": .string(name), "mac": .string(mac.description), "ip": .string(ip.description), "ip6": JSONValue(ip6?.description),
                 "port": .string(port)])
    }
}
