/// What IPv4 and IPv6 addresses share: a fixed number of bits read as one unsigned integer,
/// so that masks, ranges and intervals are plain arithmetic written once for both families.
public protocol IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    associatedtype Bits: FixedWidthInteger & UnsignedInteger & Sendable

    /// The address as one host-order integer.
    var bits: Bits { get }
    init(bits: Bits)
    /// Parses the family's textual form; nil for anything else.
    init?(_ text: some StringProtocol)
}

extension IPAddress {
    @inlinable public static var bitWidth: Int { Bits.bitWidth }
}
