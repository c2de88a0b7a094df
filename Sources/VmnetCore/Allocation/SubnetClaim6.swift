/// An IPv6 subnet something on the host already uses, and a human description of what.
public struct SubnetClaim6: Hashable, Sendable, CustomStringConvertible {
    public let subnet: IPv6Subnet
    public let origin: String

    public init(subnet: IPv6Subnet, origin: String) {
        self.subnet = subnet
        self.origin = origin
    }

    public var description: String { origin }
}
