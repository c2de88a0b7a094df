/// An inclusive range of IPv4 addresses, such as a DHCP pool.
public struct IPv4Range: Hashable, Sendable, CustomStringConvertible {
    public let start: IPv4Address
    public let end: IPv4Address

    public init(start: IPv4Address, end: IPv4Address) {
        self.start = start
        self.end = end
    }

    public var count: Int { end < start ? 0 : Int(end.value - start.value) + 1 }
    public func contains(_ address: IPv4Address) -> Bool { start <= address && address <= end }
    public func overlaps(_ other: IPv4Range) -> Bool { start <= other.end && other.start <= end }
    public var description: String { "\(start)-\(end)" }
}
