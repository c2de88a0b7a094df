import JSON

/// A host with a fixed MAC and address on a network, reachable as HOST.NET.vmnet.
public struct HostReservation: Hashable, Sendable {
    public static let maximumNameLength = 63

    public let name: String
    public let mac: MACAddress
    public let ip: IPv4Address
    /// Served by DHCPv6 and in DNS on a network with IPv6; nil on one without.
    public let ip6: IPv6Address?

    public init(name: String, mac: MACAddress, ip: IPv4Address, ip6: IPv6Address? = nil) {
        self.name = name
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
    }

    public static func validateName(_ name: String) throws(VmnetError) {
        if let problem = NetworkName.problem(with: name, what: "host name", maximumLength: maximumNameLength) { throw .invalid(problem) }
    }

    public var json: JSONValue {
        .object(["name": .string(name), "mac": .string(mac.description), "ip": .string(ip.description), "ip6": JSONValue(ip6?.description)])
    }
}
