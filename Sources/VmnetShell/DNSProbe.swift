import Glibc
import VmnetCore

/// One DNS question over UDP, in-process: asks a network's dnsmasq what it serves now.
public enum DNSProbe {
    /// The A records `server` gives for `name`: empty for NXDOMAIN or no answer, nil when
    /// nothing answered within `timeout` milliseconds.
    public static func addresses(of name: String, server: IPv4Address, timeout: Int32 = 500) -> [IPv4Address]? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let id = UInt16(truncatingIfNeeded: getpid() ^ Int32(truncatingIfNeeded: time(nil)))
        var query: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            query.append(UInt8(label.utf8.count))
            query += Array(label.utf8)
        }
        query += [0, 0, 1, 0, 1]
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
            return parse(Array(answer[0..<count]))
        }
        return nil
    }

    /// The A records of an answer (names compressed or not).
    static func parse(_ message: [UInt8]) -> [IPv4Address] {
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
        var found: [IPv4Address] = []
        for _ in 0..<answers {
            guard skipName(&offset), offset + 10 <= message.count else { break }
            let type = Int(message[offset]) << 8 | Int(message[offset + 1])
            let length = Int(message[offset + 8]) << 8 | Int(message[offset + 9])
            offset += 10
            guard offset + length <= message.count else { break }
            if type == 1 && length == 4 {
                found.append(IPv4Address(message[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
            }
            offset += length
        }
        return found
    }
}
