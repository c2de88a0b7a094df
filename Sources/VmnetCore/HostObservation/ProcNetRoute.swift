/// Reads /proc/net/route and /proc/net/ipv6_route without spawning `ip` (what `up` and
/// `list` use; allocation and `doctor` read every table through `ip`).
public enum ProcNetRoute {
    public static func routes(_ text: String) -> [HostRoute] {
        text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let columns = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard columns.count > 7, let destination = UInt32(columns[1], radix: 16), let mask = UInt32(columns[7], radix: 16) else { return nil }
            // Addresses are printed in network byte order read as a little-endian word.
            let subnet = IPv4Subnet(containing: IPv4Address(destination.byteSwapped), prefixLength: mask.nonzeroBitCount)
            return HostRoute(destination: subnet, table: "main", device: String(columns[0]))
        }
    }

    /// /proc/net/ipv6_route: destination and prefix length in hex, the device last; local
    /// and multicast routes carry RTF_LOCAL (0x80000000) or a multicast destination.
    public static func routes6(_ text: String) -> [HostRoute6] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let columns = line.split(whereSeparator: { $0 == " " })
            guard columns.count >= 10, columns[0].count == 32, let high = UInt64(columns[0].prefix(16), radix: 16),
                let low = UInt64(columns[0].suffix(16), radix: 16), let length = Int(columns[1], radix: 16), length <= 128,
                let flags = UInt32(columns[8], radix: 16)
            else { return nil }
            let address = IPv6Address(high: high, low: low)
            let type = flags & 0x8000_0000 != 0 ? "local" : high >> 56 == 0xff ? "multicast" : "unicast"
            return HostRoute6(destination: IPv6Subnet(containing: address, prefixLength: length), table: "main", device: String(columns[9]), type: type)
        }
    }
}
