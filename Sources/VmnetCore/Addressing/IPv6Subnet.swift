/// An IPv6 network in CIDR form: a network address and a prefix length.
public struct IPv6Subnet: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let network: IPv6Address
    public let prefixLength: Int

    /// Builds the subnet that contains `address`, clearing host bits.
    public init(containing address: IPv6Address, prefixLength: Int) {
        precondition((0...128).contains(prefixLength))
        self.prefixLength = prefixLength
        let mask = IPv6Subnet.mask(prefixLength)
        network = IPv6Address(high: address.high & mask.high, low: address.low & mask.low)
    }

    /// Parses `ADDRESS/N` strictly: host bits must be zero.
    public init?(_ text: some StringProtocol) {
        guard let (address, length) = IPv6Subnet.split(text) else { return nil }
        let subnet = IPv6Subnet(containing: address, prefixLength: length)
        guard subnet.network == address else { return nil }
        self = subnet
    }

    /// The subnet `text` means with host bits cleared, for a suggestion when they were set.
    public static func lenient(_ text: some StringProtocol) -> IPv6Subnet? {
        guard let (address, length) = split(text) else { return nil }
        return IPv6Subnet(containing: address, prefixLength: length)
    }

    /// Parses a route destination as `ip -6` prints it: `ADDRESS/N`, or a bare address for a /128.
    public init?(routeDestination text: some StringProtocol) {
        if text.contains("/") {
            guard let subnet = IPv6Subnet.lenient(text) else { return nil }
            self = subnet
        } else {
            guard let address = IPv6Address(text) else { return nil }
            self.init(containing: address, prefixLength: 128)
        }
    }

    private static func split(_ text: some StringProtocol) -> (IPv6Address, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv6Address(parts[0]), !parts[1].isEmpty, parts[1].count <= 3,
            parts[1].allSatisfy(\.isNumber), let length = Int(parts[1]), (0...128).contains(length)
        else { return nil }
        return (address, length)
    }

    public static func mask(_ prefixLength: Int) -> (high: UInt64, low: UInt64) {
        func part(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : UInt64.max << UInt64(64 - bits) }
        return (part(prefixLength), part(prefixLength - 64))
    }

    public var first: IPv6Address { network }
    public var last: IPv6Address {
        let mask = IPv6Subnet.mask(prefixLength)
        return IPv6Address(high: network.high | ~mask.high, low: network.low | ~mask.low)
    }

    public func contains(_ address: IPv6Address) -> Bool {
        IPv6Subnet(containing: address, prefixLength: prefixLength).network == network
    }

    /// True when the two share any address: one contains the other.
    public func overlaps(_ other: IPv6Subnet) -> Bool {
        first <= other.last && other.first <= last
    }

    /// The address `offset` places after the network address.
    public func host(_ offset: UInt64) -> IPv6Address { network.advanced(by: offset) }

    /// The ip6.arpa zone of a subnet whose prefix is a whole number of nibbles.
    public var reverseZone: String {
        let nibbles = network.nibbles.prefix(prefixLength / 4)
        return (nibbles.reversed().map { String($0, radix: 16) } + ["ip6", "arpa"]).joined(separator: ".")
    }

    public var description: String { "\(network)/\(prefixLength)" }

    public static func < (lhs: IPv6Subnet, rhs: IPv6Subnet) -> Bool {
        (lhs.network, lhs.prefixLength) < (rhs.network, rhs.prefixLength)
    }
}
