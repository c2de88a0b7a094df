/// An Ethernet address, kept in the lower-case colon form dnsmasq writes in its lease file.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        // A group address cannot be a host's.
        guard bytes[0] & 0x01 == 0, bytes != [0, 0, 0, 0, 0, 0] else { return nil }
        self.bytes = bytes
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 6)
        self.bytes = bytes
    }

    /// A locally administered unicast address derived from `seed`: the same seed always
    /// gives the same address, so re-adding a host gives it its MAC back.
    public static func generated(from seed: String) -> MACAddress {
        let hash = FNVHash.hash(seed)
        // 0x02: locally administered, unicast; then 40 bits of the hash.
        return MACAddress(bytes: [0x02] + (0..<5).map { UInt8(truncatingIfNeeded: hash >> UInt64(8 * $0)) })
    }

    public var description: String {
        bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined(separator: ":")
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
