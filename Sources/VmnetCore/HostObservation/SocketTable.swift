/// Reads /proc/net/udp to tell whether something listens on an address and port.
public enum SocketTable {
    /// True when `text` (the contents of /proc/net/udp) has a socket bound to `address:port`.
    public static func hasListener(in text: String, address: IPv4Address, port: UInt16) -> Bool {
        SocketEntry.parse(text, proto: .udp, ports: [port]).contains { $0.address == address }
    }
}
