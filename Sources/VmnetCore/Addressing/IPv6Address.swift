/// An IPv6 address held as two host-order halves so that ranges are plain arithmetic.
public struct IPv6Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses any textual form RFC 4291 allows (`::`, leading zeros within a group, an
    /// embedded dotted quad in the last 32 bits); no zone index, no prefix.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.count <= 45, text.allSatisfy({ $0.isASCII }) else { return nil }
        var groups: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var halves = [text]
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::"), !halves[1].hasPrefix(":"), !halves[0].hasSuffix(":") else { return nil }
        }
        func parse(_ part: String, allowQuad: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if allowQuad, index == pieces.count - 1, piece.contains(".") {
                    guard let quad = IPv4Address(piece) else { return nil }
                    result += [UInt16(quad.value >> 16), UInt16(quad.value & 0xffff)]
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        if halves.count == 2 {
            sawGap = true
            guard let head = parse(halves[0], allowQuad: false), let rest = parse(halves[1], allowQuad: true) else { return nil }
            groups = head
            tail = rest
            guard groups.count + tail.count <= 7 else { return nil }
        } else {
            guard let all = parse(halves[0], allowQuad: true), all.count == 8 else { return nil }
            groups = all
        }
        if sawGap { groups += Array(repeating: 0, count: 8 - groups.count - tail.count) + tail }
        var high: UInt64 = 0, low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        self.init(high: high, low: low)
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
