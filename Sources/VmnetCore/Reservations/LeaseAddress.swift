/// The address of a row of `vmnet leases`: IPv4 or IPv6. IPv4 rows sort first.
public enum LeaseAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }

    /// `ipv4` or `ipv6`, the `family` of `leases --json`.
    public var family: String {
        switch self {
        case .v4: "ipv4"
        case .v6: "ipv6"
        }
    }

    public static func < (lhs: LeaseAddress, rhs: LeaseAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let one), .v4(let other)): one < other
        case (.v6(let one), .v6(let other)): one < other
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
