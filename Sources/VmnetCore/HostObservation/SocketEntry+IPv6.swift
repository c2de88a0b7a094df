extension SocketEntry {
    /// The IPv4 sockets hidden in /proc/net/tcp6 or udp6: a socket on `::` also takes IPv4
    /// (unless bindv6only, which vmnet does not read: it errs on the side of the listener), and
    /// one on `::ffff:A.B.C.D` takes A.B.C.D. Other IPv6 sockets are left out.
    public static func parseIPv6Table(_ text: String, proto: Proto, ports: Set<UInt16>? = nil) -> [SocketEntry] {
        var lines = ["header"]
        for line in text.split(separator: "\n").dropFirst() {
            var columns = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard columns.count > 9 else { continue }
            let local = columns[1].split(separator: ":")
            guard local.count == 2, local[0].count == 32 else { continue }
            let address = local[0].uppercased()
            if address == String(repeating: "0", count: 32) {
                columns[1] = "00000000:" + local[1]
            } else if address.hasPrefix(String(repeating: "0", count: 16) + "FFFF0000") {
                columns[1] = String(address.suffix(8)) + ":" + local[1]
            } else {
                continue
            }
            lines.append(columns.joined(separator: " "))
        }
        return parse(lines.joined(separator: "\n"), proto: proto, ports: ports)
    }
}
