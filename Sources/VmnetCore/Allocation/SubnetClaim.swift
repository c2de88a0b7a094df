/// A subnet something on the host already uses, and a human description of what.
public struct SubnetClaim: Hashable, Sendable, CustomStringConvertible {
    public let subnet: IPv4Subnet
    public let origin: String

    public init(subnet: IPv4Subnet, origin: String) {
        self.subnet = subnet
        self.origin = origin
    }

    public var description: String { origin }
}
