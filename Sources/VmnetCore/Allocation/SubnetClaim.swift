/// A subnet of either family something on the host already uses, and a human description
/// of what.
public struct SubnetClaim<Address: IPAddress>: Hashable, Sendable, CustomStringConvertible {
    public let subnet: Subnet<Address>
    public let origin: String

    public init(subnet: Subnet<Address>, origin: String) {
        self.subnet = subnet
        self.origin = origin
    }

    public var description: String { origin }
}
