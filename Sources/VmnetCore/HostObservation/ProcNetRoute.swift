/// Reads /proc/net/route: the main routing table's IPv4 routes, without spawning `ip`
/// (what `list` uses; allocation and `doctor` read every table through `ip`).
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
}
