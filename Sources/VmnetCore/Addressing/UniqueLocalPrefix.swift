/// This host's RFC 4193 prefix: fd00::/8 plus a 40-bit Global ID drawn at random once and
/// kept in vmnet's state, so every network's /64 is stable here and unlike other hosts'.
public struct UniqueLocalPrefix: Hashable, Sendable, CustomStringConvertible {
    public let globalID: UInt64

    public init(globalID: UInt64) {
        self.globalID = globalID & 0xff_ffff_ffff
    }

    /// The /48 the networks' /64s are drawn from.
    public var subnet: IPv6Subnet {
        IPv6Subnet(containing: IPv6Address(high: (0xfd << 56 | globalID << 16), low: 0), prefixLength: 48)
    }

    /// Reads a stored /48 back; anything but an fd00::/8 /48 is refused.
    public init?(subnet text: some StringProtocol) {
        guard let subnet = IPv6Subnet(text), subnet.prefixLength == 48, subnet.network.high >> 56 == 0xfd else { return nil }
        self.init(globalID: subnet.network.high >> 16)
    }

    public var description: String { subnet.description }
}
