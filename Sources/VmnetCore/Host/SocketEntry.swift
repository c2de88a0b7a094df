/// One socket from /proc/net/udp or /proc/net/tcp: its local address, port, state and inode
/// (the inode ties it to the process holding it, through /proc/PID/fd).
public struct SocketEntry: Hashable, Sendable {
    public enum Proto: String, Sendable { case udp, tcp }

    public let proto: Proto
    public let address: IPv4Address
    public let port: UInt16
    /// The kernel's state number: 0x0A is a listening TCP socket, 0x07 an unconnected UDP one.
    public let state: UInt8
    public let inode: UInt64

    public init(proto: Proto, address: IPv4Address, port: UInt16, state: UInt8, inode: UInt64) {
        self.proto = proto
        self.address = address
        self.port = port
        self.state = state
        self.inode = inode
    }

    /// Bound for receiving: every UDP socket, and TCP sockets in LISTEN.
    public var isListening: Bool { proto == .udp || state == 0x0A }

    public var isWildcard: Bool { address.value == 0 }

    /// Parses the contents of /proc/net/udp or /proc/net/tcp; lines it cannot read are skipped
    /// (the kernel's format, not a file of ours: a future column must not hide the rest).
    public static func parse(_ text: String, proto: Proto) -> [SocketEntry] {
        text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let columns = line.split(separator: " ")
            guard columns.count > 9 else { return nil }
            let local = columns[1].split(separator: ":")
            guard local.count == 2, let raw = UInt32(local[0], radix: 16), let port = UInt16(local[1], radix: 16),
                let state = UInt8(columns[3], radix: 16), let inode = UInt64(columns[9])
            else { return nil }
            // The kernel prints the address in network byte order read as a little-endian word.
            return SocketEntry(proto: proto, address: IPv4Address(raw.byteSwapped), port: port, state: state, inode: inode)
        }
    }
}
