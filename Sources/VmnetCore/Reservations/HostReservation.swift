import JSON

/// A host with a fixed MAC and address on a network, reachable as HOST.NET.vmnet.
public struct HostReservation: Hashable, Sendable {
    public static let maximumNameLength = 63

    public let name: String
    public let mac: MACAddress
    public let ip: IPv4Address

    public init(name: String, mac: MACAddress, ip: IPv4Address) {
        self.name = name
        self.mac = mac
        self.ip = ip
    }

    public static func validateName(_ name: String) throws(VmnetError) {
        if let problem = NetworkName.problem(with: name, what: "host name", maximumLength: maximumNameLength) { throw .invalid(problem) }
    }

    public var json: JSONValue {
        .object(["name": .string(name), "mac": .string(mac.description), "ip": .string(ip.description)])
    }
}
