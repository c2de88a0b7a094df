/// Reads /proc/net/ipv6_route, which lists every table's IPv6 routes, without spawning `ip`.
public enum ProcNetIPv6Route {
    /// RTF_DEFAULT | RTF_ADDRCONF: how the kernel marks a default router it learned from a
    /// router advertisement (`ip -6 route` prints it as `proto ra`). A default route that
    /// NetworkManager or systemd-networkd installs from their own RA handling lacks
    /// RTF_ADDRCONF: they set accept_ra to 0, so forwarding does not take it away.
    static let learnedDefault: UInt32 = 0x0001_0000 | 0x0004_0000

    /// The interfaces holding a default route the kernel learned from router advertisements,
    /// sorted, each once.
    public static func raDefaultRouteInterfaces(_ text: String) -> [String] {
        // Columns: destination, its prefix length, source, its length, next hop, metric, refcount, use, flags, device.
        let devices = text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard columns.count >= 10, columns[1] == "00", columns[0].allSatisfy({ $0 == "0" }),
                  let flags = UInt32(columns[8], radix: 16), flags & learnedDefault == learnedDefault
            else { return nil }
            return String(columns[9])
        }
        return Array(Set(devices)).sorted()
    }
}
