/// A network of either family in CIDR form: a network address and a prefix length.
/// Members are inlinable so that callers in other modules (the shell, the CLI) run code
/// specialised for their family rather than generic code through witness tables.
public struct Subnet<Address: IPAddress>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let network: Address
    public let prefixLength: Int

    public enum ParseError: Error, Equatable, Sendable {
        case malformed
        case hostBitsSet(suggestion: Subnet)
    }

    /// Builds the subnet that contains `address`, clearing host bits.
    @inlinable public init(containing address: Address, prefixLength: Int) {
        precondition((0...Address.bitWidth).contains(prefixLength))
        self.prefixLength = prefixLength
        network = Address(bits: address.bits & Subnet.mask(prefixLength))
    }

    /// Parses `ADDRESS/N` strictly: host bits must be zero.
    @inlinable public static func parse(_ text: some StringProtocol) -> Result<Subnet, ParseError> {
        guard let (address, length) = split(text) else { return .failure(.malformed) }
        let subnet = Subnet(containing: address, prefixLength: length)
        guard subnet.network == address else { return .failure(.hostBitsSet(suggestion: subnet)) }
        return .success(subnet)
    }

    @inlinable public init?(_ text: some StringProtocol) {
        guard case .success(let subnet) = Subnet.parse(text) else { return nil }
        self = subnet
    }

    /// The subnet `text` means with host bits cleared, for a suggestion when they were set.
    @inlinable public static func lenient(_ text: some StringProtocol) -> Subnet? {
        guard let (address, length) = split(text) else { return nil }
        return Subnet(containing: address, prefixLength: length)
    }

    /// Parses a route destination as `ip` prints it: `ADDRESS/N`, or a bare address for a
    /// host route.
    @inlinable public init?(routeDestination text: some StringProtocol) {
        if text.contains("/") {
            guard let subnet = Subnet.lenient(text) else { return nil }
            self = subnet
        } else {
            guard let address = Address(text) else { return nil }
            self.init(containing: address, prefixLength: Address.bitWidth)
        }
    }

    @inlinable static func split(_ text: some StringProtocol) -> (Address, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Address(parts[0]), !parts[1].isEmpty, parts[1].count <= 3,
            parts[1].allSatisfy(\.isNumber), let length = Int(parts[1]), (0...Address.bitWidth).contains(length)
        else { return nil }
        return (address, length)
    }

    @inlinable public static func mask(_ prefixLength: Int) -> Address.Bits {
        prefixLength == 0 ? 0 : Address.Bits.max << (Address.bitWidth - prefixLength)
    }

    @inlinable public var first: Address { network }
    @inlinable public var last: Address { Address(bits: network.bits | ~Subnet.mask(prefixLength)) }

    @inlinable public func contains(_ address: Address) -> Bool {
        address.bits & Subnet.mask(prefixLength) == network.bits
    }

    /// True when the two share any address: one contains the other.
    @inlinable public func overlaps(_ other: Subnet) -> Bool {
        first <= other.last && other.first <= last
    }

    /// The address `offset` places after the network address.
    @inlinable public func host(_ offset: some BinaryInteger) -> Address {
        Address(bits: network.bits &+ Address.Bits(truncatingIfNeeded: offset))
    }

    @inlinable public var description: String { "\(network)/\(prefixLength)" }

    @inlinable public static func < (lhs: Subnet, rhs: Subnet) -> Bool {
        (lhs.network, lhs.prefixLength) < (rhs.network, rhs.prefixLength)
    }
}
