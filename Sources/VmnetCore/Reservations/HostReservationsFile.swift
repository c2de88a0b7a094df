import JSON

/// `hosts.json`: `{"version": 2, "hosts": [{"name", "mac", "ip", "ip6"}, …]}`. Version 2 added
/// `ip6` (a string, or null without IPv6); versions 1 (without it) and 0 (the bare array) are
/// still read. Every entry must read back whole: one dropped entry would be lost at the next write.
public enum HostReservationsFile {
    public static let formatVersion = 2

    public static func encode(_ reservations: [HostReservation]) -> JSONValue {
        .object(["version": JSONValue(formatVersion), "hosts": .array(reservations.sorted { $0.ip < $1.ip }.map(\.json))])
    }

    public static func decode(text: String, file: String) throws(VmnetError) -> [HostReservation] {
        let reader = try StateFileReader(file: file, text: text, current: formatVersion, legacyArrayKey: "hosts")
        try reader.rejectUnknown(reader.root, known: ["version", "hosts"])
        let list = try reader.member(reader.root, "hosts")
        guard let items = list.arrayValue else { throw reader.typeFailure("hosts", "an array", list) }
        var reservations: [HostReservation] = []
        // Entries are located one after another: each key is searched after the previous entry.
        var cursor = reader.line(of: "hosts") ?? 0
        for (index, item) in items.enumerated() {
            let path = "hosts[\(index)]."
            guard let entry = item.objectValue else {
                throw StateFileReader.located(reader, "hosts[\(index)]", cursor + 1, "expected an object with name, mac and ip, found \(item.typeName)")
            }
            let start = cursor
            try reader.rejectUnknown(entry, known: ["name", "mac", "ip", "ip6"], path: path, afterLine: start)
            for key in ["name", "mac", "ip"] where entry[key] == nil {
                throw StateFileReader.located(reader, path + key, start + 1, "missing")
            }
            let name = try reader.string(entry, "name", path: path, afterLine: start)
            if let problem = NetworkName.problem(with: name, what: "host name", maximumLength: HostReservation.maximumNameLength) {
                throw reader.failure(path + "name", problem, afterLine: start)
            }
            let macText = try reader.string(entry, "mac", path: path, afterLine: start)
            guard let mac = MACAddress(macText) else { throw reader.failure(path + "mac", "'\(macText)' is not a MAC address", afterLine: start) }
            let ipText = try reader.string(entry, "ip", path: path, afterLine: start)
            guard let ip = IPv4Address(ipText) else { throw reader.failure(path + "ip", "'\(ipText)' is not an IPv4 address", afterLine: start) }
            var ip6: IPv6Address?
            if let value = entry["ip6"], value != .null {
                guard let text = value.stringValue else { throw reader.typeFailure(path + "ip6", "a string or null", value, afterLine: start) }
                guard let parsed = IPv6Address(text) else { throw reader.failure(path + "ip6", "'\(text)' is not an IPv6 address", afterLine: start) }
                ip6 = parsed
            }
            if let other = reservations.first(where: { $0.name == name || $0.mac == mac || $0.ip == ip || (ip6 != nil && $0.ip6 == ip6) }) {
                throw reader.failure(path + "name", "'\(name)' (\(mac), \(ip)) collides with host '\(other.name)'", afterLine: start)
            }
            reservations.append(HostReservation(name: name, mac: mac, ip: ip, ip6: ip6))
            cursor = entry.keys.compactMap { reader.line(of: $0, afterLine: start) }.max() ?? start + 1
        }
        return reservations
    }
}
