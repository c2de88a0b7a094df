import Glibc
import VmnetCore

/// One DNS question over UDP, in-process: asks a network's dnsmasq what it serves now.
public enum DNSProbe {
    /// The A records `server` gives for `name`: empty for NXDOMAIN or no answer, nil when
    /// nothing answered within `timeout` milliseconds.
    public static func addresses(of name: String, server: IPv4Address, timeout: Int32 = 500) -> [IPv4Address]? {
        records(of: name, type: 1, server: server, timeout: timeout)?.compactMap { data in
            data.count == 4 ? IPv4Address(data.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) : nil
        }
    }

    /// The AAAA records, likewise (asked over IPv4: the gateway's dnsmasq answers both).
    public static func addresses6(of name: String, server: IPv4Address, timeout: Int32 = 500) -> [IPv6Address]? {
        records(of: name, type: 28, server: server, timeout: timeout)?.compactMap { data in
            guard data.count == 16 else { return nil }
            let high = data[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, low = data[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return IPv6Address(high: high, low: low)
        }
    }

    /// The data of each answer record of `type`.
    private static func records(of name: String, type: UInt8, server: IPv4Address, timeout: Int32) -> [[UInt8]]? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let id = UInt16(truncatingIfNeeded: getpid() ^ Int32(truncatingIfNeeded: time(nil)))
        var query: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            query.append(UInt8(label.utf8.count))
            query += Array(label.utf8)
        }
        query += [0, 0, type, 0, 1]
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(53).bigEndian
        address.sin_addr.s_addr = server.value.bigEndian
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, query, query.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard sent == query.count else { return nil }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        var answer = [UInt8](repeating: 0, count: 1500)
        while poll(&poller, 1, timeout) > 0 {
            let count = recv(descriptor, &answer, answer.count, 0)
            guard count >= 12 else { return nil }
            guard answer[0] == query[0], answer[1] == query[1] else { continue }
            return parse(Array(answer[0..<count]), type: Int(type))
        }
        return nil
    }

    /// The data of an answer's records of `type` (names compressed or not).
    static func parse(_ message: [UInt8], type wanted: Int) -> [[UInt8]] {
        func skipName(_ offset: inout Int) -> Bool {
            while offset < message.count {
                let length = Int(message[offset])
                if length == 0 { offset += 1; return true }
                if length & 0xc0 == 0xc0 { offset += 2; return true }
                offset += length + 1
            }
            return false
        }
        let questions = Int(message[4]) << 8 | Int(message[5])
        let answers = Int(message[6]) << 8 | Int(message[7])
        var offset = 12
        for _ in 0..<questions {
            guard skipName(&offset) else { return [] }
            offset += 4
        }
        var found: [[UInt8]] = []
        for _ in 0..<answers {
            guard skipName(&offset), offset + 10 <= message.count else { break }
            let type = Int(message[offset]) << 8 | Int(message[offset + 1])
            let length = Int(message[offset + 8]) << 8 | Int(message[offset + 9])
            offset += 10
            guard offset + length <= message.count else { break }
            if type == wanted { found.append(Array(message[offset..<offset + length])) }
            offset += length
        }
        return found
    }
}
