/// Reads /proc/net/udp to tell whether something listens on an address and port.
public enum SocketTable {
    /// True when `text` (the contents of /proc/net/udp) has a socket bound to `address:port`.
    public static func hasListener(in text: String, address: IPv4Address, port: UInt16) -> Bool {
        // The kernel prints the address in network byte order read as a little-endian word.
        let swapped = address.value.byteSwapped
        let wanted = hex(swapped, width: 8) + ":" + hex(UInt32(port), width: 4)
        return text.split(whereSeparator: \.isNewline).dropFirst().contains { line in
            let columns = line.split(separator: " ")
            return columns.count > 1 && columns[1].uppercased() == wanted
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
