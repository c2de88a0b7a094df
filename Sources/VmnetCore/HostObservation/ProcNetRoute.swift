/// Reads /proc/net/route and /proc/net/ipv6_route without spawning `ip` (what `up` and
/// `list` use; allocation and `doctor` read every table through `ip`).
public enum ProcNetRoute {
    public static func routes(_ text: String) -> [HostRoute<IPv4Address>] {
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
    public static func routes6(_ text: String) -> [HostRoute<IPv6Address>] {
        entries6(text).map { entry in
            let type = entry.flags & 0x8000_0000 != 0 ? "local" : entry.destination.network.high >> 56 == 0xff ? "multicast" : "unicast"
            return HostRoute(destination: entry.destination, table: "main", device: entry.device, type: type)
        }
    }

    /// RTF_DEFAULT | RTF_ADDRCONF: how the kernel marks a default router it learned from a
    /// router advertisement (`ip -6 route` prints it as `proto ra`). A default route that
    /// NetworkManager or systemd-networkd install from their own RA handling lacks
    /// RTF_ADDRCONF: they set accept_ra to 0, so forwarding does not take it away.
    static let learnedDefault: UInt32 = 0x0001_0000 | 0x0004_0000

    /// The interfaces holding a default route the kernel learned from router advertisements
    /// (in /proc/net/ipv6_route, every table), sorted, each once.
    public static func raDefaultRouteInterfaces(_ text: String) -> [String] {
        let devices = entries6(text).filter { $0.destination.prefixLength == 0 && $0.flags & learnedDefault == learnedDefault }.map(\.device)
        return Array(Set(devices)).sorted()
    }

    /// Each line of /proc/net/ipv6_route. Columns: destination, its prefix length, source,
    /// its length, next hop, metric, refcount, use, flags, device.
    private static func entries6(_ text: String) -> [(destination: IPv6Subnet, flags: UInt32, device: String)] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard columns.count >= 10, columns[0].count == 32, let high = UInt64(columns[0].prefix(16), radix: 16),
                let low = UInt64(columns[0].suffix(16), radix: 16), let length = Int(columns[1], radix: 16), length <= 128,
                let flags = UInt32(columns[8], radix: 16)
            else { return nil }
            return (IPv6Subnet(containing: IPv6Address(high: high, low: low), prefixLength: length), flags, String(columns[9]))
        }
    }
}
