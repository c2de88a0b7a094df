import JSON

/// `vmnet forward list`: a network's forwards with their targets' addresses now (nil when the
/// target is gone), as JSON objects or an aligned table.
public enum ForwardReport {
    public typealias Entry = (forward: PortForward, ip: IPv4Address?)

    public static func json(_ entries: [Entry]) -> JSONValue {
        .array(entries.map { entry in
            let forward = entry.forward
            return .object([
                "address": JSONValue(forward.address?.description),
                "port": JSONValue(forward.port),
                "end_port": JSONValue(forward.endPort),
                "protocol": .string(forward.proto.rawValue),
                "target": .string(forward.target),
                "target_ip": JSONValue(entry.ip?.description),
                "target_port": JSONValue(forward.targetPort ?? forward.port),
            ])
        })
    }

    public static func table(_ entries: [Entry]) -> String {
        var table = TextTable(headers: ["ADDRESS", "PORTS", "PROTO", "TARGET", "TARGET IP", "TARGET PORTS"])
        for (forward, ip) in entries {
            let ports = forward.endPort > forward.port ? "\(forward.port)-\(forward.endPort)" : "\(forward.port)"
            let first = forward.targetPort ?? forward.port
            let targetPorts = forward.endPort > forward.port ? "\(first)-\(first + forward.endPort - forward.port)" : "\(first)"
            table.append([forward.address?.description ?? "*", ports, forward.proto.rawValue, forward.target, ip?.description ?? "-", targetPorts])
        }
        return table.render()
    }
}
