/// An IPv6 network in CIDR form.
public typealias IPv6Subnet = Subnet<IPv6Address>

extension Subnet where Address == IPv6Address {
    /// The ip6.arpa zone of a subnet whose prefix is a whole number of nibbles.
    public var reverseZone: String {
        let nibbles = network.nibbles.prefix(prefixLength / 4)
        return (nibbles.reversed().map { String($0, radix: 16) } + ["ip6", "arpa"]).joined(separator: ".")
    }
}
