/// An IPv4 network in CIDR form: a network address and a prefix length.
public struct IPv4Subnet: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let prefixLength: Int

    public enum ParseError: Error, Equatable, Sendable {
        case malformed
        case hostBitsSet(suggestion: IPv4Subnet)
    }

    /// Builds the subnet that contains `address`, clearing host bits.
    public init(containing address: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength))
        self.prefixLength = prefixLength
        self.network = IPv4Address(address.value & IPv4Subnet.mask(prefixLength))
    }

    /// Parses `A.B.C.D/N` strictly: host bits must be zero.
    public static func parse(_ text: some StringProtocol) -> Result<IPv4Subnet, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), parts[1].allSatisfy(\.isNumber),
            let length = Int(parts[1]), (0...32).contains(length)
        else { return .failure(.malformed) }
        let subnet = IPv4Subnet(containing: address, prefixLength: length)
        guard subnet.network == address else { return .failure(.hostBitsSet(suggestion: subnet)) }
        return .success(subnet)
    }

    public init?(_ text: some StringProtocol) {
        guard case .success(let subnet) = IPv4Subnet.parse(text) else { return nil }
        self = subnet
    }

    /// Parses a route destination as `ip` prints it: `A.B.C.D/N`, or a bare address for a /32.
    public init?(routeDestination text: some StringProtocol) {
        if text.contains("/") {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]),
                (0...32).contains(length)
            else { return nil }
            self.init(containing: address, prefixLength: length)
        } else {
            guard let address = IPv4Address(text) else { return nil }
            self.init(containing: address, prefixLength: 32)
        }
    }

    public static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }

    public var netmask: IPv4Address { IPv4Address(IPv4Subnet.mask(prefixLength)) }
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }
    public var first: IPv4Address { network }
    public var last: IPv4Address { IPv4Address(network.value | ~IPv4Subnet.mask(prefixLength)) }

    public func contains(_ address: IPv4Address) -> Bool {
        address.value & IPv4Subnet.mask(prefixLength) == network.value
    }

    /// True when the two share any address: one contains the other.
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        first <= other.last && other.first <= last
    }

    /// The address `offset` places after the network address.
    public func host(_ offset: UInt32) -> IPv4Address { IPv4Address(network.value &+ offset) }

    public var description: String { "\(network)/\(prefixLength)" }

    public static func < (lhs: IPv4Subnet, rhs: IPv4Subnet) -> Bool {
        (lhs.network, lhs.prefixLength) < (rhs.network, rhs.prefixLength)
    }
}
