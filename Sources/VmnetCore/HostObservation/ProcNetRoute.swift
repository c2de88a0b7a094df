/// Reads /proc/net/route and /proc/net/ipv6_route without spawning `ip` (what `up` and
/// `list` use; allocation and `doctor` read every table through `ip`).
public enum ProcNetRoute {
    public static func routes(_ text: String) -> [HostRoute<IPv4Address>] {
        var routes: [HostRoute<IPv4Address>] = []
        forEachLine(text, skippingHeader: true) { columns in
            guard columns.count > 7, let destination = hex(columns[1]), let mask = hex(columns[7]), destination <= UInt32.max, mask <= UInt32.max else { return }
            // Addresses are printed in network byte order read as a little-endian word.
            let subnet = IPv4Subnet(containing: IPv4Address(UInt32(destination).byteSwapped), prefixLength: UInt32(mask).nonzeroBitCount)
            routes.append(HostRoute(destination: subnet, table: "main", device: String(decoding: columns[0], as: UTF8.self)))
        }
        return routes
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
        var entries: [(destination: IPv6Subnet, flags: UInt32, device: String)] = []
        forEachLine(text, skippingHeader: false) { columns in
            guard columns.count >= 10, columns[0].count == 32, let high = hex(columns[0].prefix(16)), let low = hex(columns[0].suffix(16)),
                let length = hex(columns[1]), length <= 128, let flags = hex(columns[8]), flags <= UInt32.max
            else { return }
            let destination = IPv6Subnet(containing: IPv6Address(high: high, low: low), prefixLength: Int(length))
            entries.append((destination, UInt32(flags), String(decoding: columns[9], as: UTF8.self)))
        }
        return entries
    }

    // Both files are read byte by byte: with 50 dual-stack networks up, ipv6_route has ~400
    // lines, and splitting them as Characters cost 55 M instructions, 45% of that `up`.
    private static func forEachLine(_ text: String, skippingHeader: Bool, _ body: ([ArraySlice<UInt8>]) -> Void) {
        let bytes = Array(text.utf8)
        var columns: [ArraySlice<UInt8>] = []
        var lineStart = 0, isHeader = skippingHeader
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if !isHeader {
                columns.removeAll(keepingCapacity: true)
                var start = lineStart
                for index in lineStart...lineEnd where index == lineEnd || bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
                    if index > start { columns.append(bytes[start..<index]) }
                    start = index + 1
                }
                if !columns.isEmpty { body(columns) }
            }
            isHeader = false
            lineStart = lineEnd + 1
        }
    }

    /// Hexadecimal digits as a number; nil for anything else or more than 16 digits.
    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
