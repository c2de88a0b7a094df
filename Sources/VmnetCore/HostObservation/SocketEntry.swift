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
    /// `ports`: keep only sockets on these (a host with hundreds of networks has thousands).
    public static func parse(_ text: String, proto: Proto, ports: Set<UInt16>? = nil) -> [SocketEntry] {
        var entries: [SocketEntry] = []
        // Bytes, not Characters: this runs over every socket of the namespace.
        for line in text.utf8.split(separator: UInt8(ascii: "\n")).dropFirst() {
            let columns = line.split(separator: UInt8(ascii: " "))
            guard columns.count > 9 else { continue }
            let local = columns[1].split(separator: UInt8(ascii: ":"))
            guard local.count == 2, let port = UInt16(hex: local[1]), ports?.contains(port) ?? true,
                let raw = UInt32(hex: local[0]), let state = UInt8(hex: columns[3]), let inode = UInt64(decimal: columns[9])
            else { continue }
            // The kernel prints the address in network byte order read as a little-endian word.
            entries.append(SocketEntry(proto: proto, address: IPv4Address(raw.byteSwapped), port: port, state: state, inode: inode))
        }
        return entries
    }
}

extension FixedWidthInteger {
    fileprivate init?(hex digits: Substring.UTF8View.SubSequence) { self.init(String(decoding: digits, as: UTF8.self), radix: 16) }
    fileprivate init?(decimal digits: Substring.UTF8View.SubSequence) { self.init(String(decoding: digits, as: UTF8.self)) }
}
