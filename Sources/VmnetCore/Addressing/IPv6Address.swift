/// An IPv6 address held as two host-order halves so that ranges are plain arithmetic.
public struct IPv6Address: IPAddress {
    public let high: UInt64
    public let low: UInt64

    @inlinable public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    @inlinable public init(bits: UInt128) { self.init(high: UInt64(truncatingIfNeeded: bits >> 64), low: UInt64(truncatingIfNeeded: bits)) }
    @inlinable public var bits: UInt128 { UInt128(high) << 64 | UInt128(low) }

    /// Parses any textual form RFC 4291 allows (`::`, leading zeros within a group, an
    /// embedded dotted quad in the last 32 bits); no zone index, no prefix. Byte by byte:
    /// `list` parses every IPv6 set element nft prints.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 45, bytes.contains(UInt8(ascii: ":")) else { return nil }
        var head: [UInt16] = [], tail: [UInt16] = []
        var sawGap = false
        var index = 0
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            sawGap = true
            index = 2
        }
        while index < bytes.count {
            // A group: up to four hex digits, or a dotted quad that ends the text.
            var value: UInt32 = 0, digits = 0, end = index
            while end < bytes.count, let digit = IPv6Address.hexValue(bytes[end]) {
                value = value << 4 | UInt32(digit)
                digits += 1
                end += 1
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
                guard let quad = IPv4Address(String(decoding: bytes[index...], as: UTF8.self)) else { return nil }
                let pair = [UInt16(quad.value >> 16), UInt16(quad.value & 0xffff)]
                if sawGap { tail += pair } else { head += pair }
                index = bytes.count
                break
            }
            guard (1...4).contains(digits) else { return nil }
            if sawGap { tail.append(UInt16(value)) } else { head.append(UInt16(value)) }
            index = end
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: ":"), index + 1 < bytes.count else { return nil }
            if bytes[index + 1] == UInt8(ascii: ":") {
                guard !sawGap else { return nil }
                sawGap = true
                index += 2
            } else {
                index += 1
            }
        }
        let count = head.count + tail.count
        guard sawGap ? count <= 7 : count == 8 else { return nil }
        let groups = head + Array(repeating: 0, count: 8 - count) + tail
        var high: UInt64 = 0, low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        self.init(high: high, low: low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
    }

    /// RFC 5952: lower case, no leading zeros, the longest run (first of equals) of two or
    /// more zero groups as `::`.
    public var description: String {
        let groups = groups
        var bestStart = -1, bestLength = 0, start = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if start < 0 { start = index }
            } else if start >= 0 {
                if index - start > bestLength, index - start >= 2 { (bestStart, bestLength) = (start, index - start) }
                start = -1
            }
        }
        func text(_ slice: ArraySlice<UInt16>) -> String { slice.map { String($0, radix: 16) }.joined(separator: ":") }
        guard bestStart >= 0 else { return text(groups[...]) }
        return text(groups[..<bestStart]) + "::" + text(groups[(bestStart + bestLength)...])
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// The address `offset` places further, carrying into the high half.
    public func advanced(by offset: UInt64) -> IPv6Address {
        let (sum, overflow) = low.addingReportingOverflow(offset)
        return IPv6Address(high: overflow ? high &+ 1 : high, low: sum)
    }

    /// The 32 nibbles, most significant first.
    public var nibbles: [UInt8] {
        (0..<16).map { UInt8(truncatingIfNeeded: high >> (60 - 4 * UInt64($0))) & 0xf }
            + (0..<16).map { UInt8(truncatingIfNeeded: low >> (60 - 4 * UInt64($0))) & 0xf }
    }

    /// The PTR name: nibbles least significant first under ip6.arpa, no trailing dot.
    public var reverseName: String {
        nibbles.reversed().map { String($0, radix: 16) }.joined(separator: ".") + ".ip6.arpa"
    }
}
