/// An IPv4 address held as a host-order integer so that ranges are plain arithmetic.
public struct IPv4Address: IPAddress {
    public let value: UInt32

    public init(_ value: UInt32) { self.value = value }
    @inlinable public init(bits: UInt32) { value = bits }
    @inlinable public var bits: UInt32 { value }

    /// Parses dotted-quad notation; rejects leading zeros, which some tools read as octal.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part),
                part == "0" || !part.hasPrefix("0")
            else { return nil }
            result = result << 8 | UInt32(octet)
        }
        value = result
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    public func advanced(by offset: Int) -> IPv4Address {
        IPv4Address(UInt32(truncatingIfNeeded: Int64(value) + Int64(offset)))
    }
}
