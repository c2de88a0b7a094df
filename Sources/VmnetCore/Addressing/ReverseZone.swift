/// The in-addr.arpa zones that hold exactly a subnet's reverse names. Zones follow octet
/// boundaries, so a /20 is sixteen /24 zones.
public enum ReverseZone {
    public static func names(for subnet: IPv4Subnet) -> [String] {
        let octets = (0..<4).map { Int(subnet.network.value >> UInt32(24 - 8 * $0) & 0xff) }
        let whole = subnet.prefixLength / 8
        let spare = subnet.prefixLength % 8
        let prefixes: [[Int]]
        if spare == 0 {
            prefixes = [Array(octets.prefix(whole))]
        } else {
            prefixes = (0..<(1 << (8 - spare))).map { Array(octets.prefix(whole)) + [octets[whole] + $0] }
        }
        return prefixes.map { labels in (labels.reversed().map(String.init) + ["in-addr.arpa"]).joined(separator: ".") }
    }
}
