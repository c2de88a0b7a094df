/// Reads /proc/net/if_inet6, the one listing of every IPv6 address with link-local ones
/// (the host snapshot leaves them out). A line: the address as 32 hex digits, the interface
/// index, prefix length, scope and flags in hex, then the interface name.
public enum ProcIfInet6 {
    /// True when `interface` carries `address`.
    public static func has(_ address: IPv6Address, on interface: String, in text: String) -> Bool {
        let wanted = hex(address.high) + hex(address.low)
        return text.split(separator: "\n").contains { line in
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return columns.count >= 6 && columns[0] == wanted && columns[5] == interface
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
