import JSON

/// `forwards.json`: `{"version": 1, "forwards": [{"address", "port", "end_port", "protocol",
/// "target", "target_port"}, …]}`. Read strictly: a forward dropped on reading would be lost
/// at the next write.
public enum ForwardsFile {
    public static let formatVersion = 1

    public static func encode(_ forwards: [PortForward]) -> JSONValue {
        .object(["version": JSONValue(formatVersion), "forwards": .array(ForwardPlanner.sorted(forwards).map(\.json))])
    }

    public static func decode(text: String, file: String) throws(VmnetError) -> [PortForward] {
        let reader = try StateFileReader(file: file, text: text, current: formatVersion)
        guard reader.version >= 1 else { throw reader.missing("version") }
        try reader.rejectUnknown(reader.root, known: ["version", "forwards"])
        let list = try reader.member(reader.root, "forwards")
        guard let items = list.arrayValue else { throw reader.typeFailure("forwards", "an array", list) }
        let keys = ["address", "port", "end_port", "protocol", "target", "target_port"]
        var forwards: [PortForward] = []
        var cursor = reader.line(of: "forwards") ?? 0
        for (index, item) in items.enumerated() {
            let path = "forwards[\(index)]."
            guard let entry = item.objectValue else {
                throw StateFileReader.located(reader, "forwards[\(index)]", cursor + 1, "expected an object with \(keys.joined(separator: ", ")), found \(item.typeName)")
            }
            let start = cursor
            try reader.rejectUnknown(entry, known: keys, path: path, afterLine: start)
            for key in keys where entry[key] == nil { throw StateFileReader.located(reader, path + key, start + 1, "missing") }
            var address: IPv4Address?
            if let value = entry["address"], !value.isNull {
                let text = try reader.string(entry, "address", path: path, afterLine: start)
                guard let parsed = IPv4Address(text) else { throw reader.failure(path + "address", "'\(text)' is not an IPv4 address", afterLine: start) }
                address = parsed
            }
            let port = try reader.integer(entry["port"] ?? .null, path + "port", afterLine: start)
            let endPort = try reader.integer(entry["end_port"] ?? .null, path + "end_port", afterLine: start)
            let protoText = try reader.string(entry, "protocol", path: path, afterLine: start)
            guard let proto = PortForward.Proto(rawValue: protoText) else {
                throw reader.failure(path + "protocol", "'\(protoText)' is not tcp or udp", afterLine: start)
            }
            let target = try reader.string(entry, "target", path: path, afterLine: start)
            var targetPort: Int?
            if let value = entry["target_port"], !value.isNull { targetPort = try reader.integer(value, path + "target_port", afterLine: start) }
            let forward: PortForward
            do { forward = try PortForward(address: address, port: port, endPort: endPort, proto: proto, target: target, targetPort: targetPort) } catch {
                throw reader.failure(path + "port", error.message, afterLine: start)
            }
            if let other = forwards.first(where: { $0.overlaps(forward) }) {
                throw reader.failure(path + "port", "\(forward.hostSide) overlaps \(other.hostSide)", afterLine: start)
            }
            forwards.append(forward)
            cursor = entry.keys.compactMap { reader.line(of: $0, afterLine: start) }.max() ?? start + 1
        }
        return forwards
    }
}
