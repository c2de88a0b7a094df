import JSON

/// How networks are shown: JSON objects for `--json`, a table or key lines for people.
public enum NetworkReport {
    public static func json(_ status: NetworkStatus, extra: JSONObject = JSONObject()) -> JSONValue {
        let record = status.record
        let plan = record.plan
        func range(_ range: IPv4Range) -> JSONValue { .object(["start": .string(range.start.description), "end": .string(range.end.description)]) }
        var object: JSONObject = [
            "name": .string(record.name.value),
            "profile": .string(record.profile),
            "mode": .string(record.mode.rawValue),
            "bridge": .string(record.bridge),
            "subnet": .string(record.subnet.description),
            "gateway": .string(plan.gateway.description),
            "subnet6": record.subnet6.map { .string($0.description) } ?? .null,
            "gateway6": record.gateway6.map { .string($0.description) } ?? .null,
            "dhcp_range": range(plan.dhcp),
            "static_range": range(plan.staticHosts),
            "container_range": range(plan.containers),
            "domain": .string(record.domain),
            "mtu": .integer(Int64(record.effectiveMTU)),
            "state": .string(status.state.rawValue),
            "autostart": .bool(record.autostart),
            "problems": JSONValue(status.problems),
            "ports": JSONValue(status.ports),
            "dnsmasq_pid": status.dnsmasqPid.map { .integer(Int64($0)) } ?? .null,
            "firewall": .string(record.firewall.rawValue),
            "isolation": .bool(record.isolation),
            "lease_time": .string(record.leaseTime),
            "dns_upstream": record.dnsUpstream.json,
            "created": .string(record.created),
        ]
        // Only networks with a policy show one: those made before it print as they did.
        if record.hostAccess != .all || record.egress != .all {
            object["host_access"] = .string(record.hostAccess.description)
            object["egress"] = .string(record.egress.description)
        }
        if let owner = record.owner { object["project"] = .object(["name": .string(owner.project), "file": .string(owner.file)]) }
        let options = record.dhcpOptions.extra
        if !options.isEmpty { object["dhcp_options"] = .array(options.map { .string($0.description) }) }
        for member in extra.members { object[member.key] = member.value }
        return .object(object)
    }

    /// One row per network, by name; broken ones (unreadable records) too, with their reasons below.
    public static func table(_ statuses: [NetworkStatus], broken: [BrokenNetwork] = []) -> String {
        var table = TextTable(headers: ["NAME", "MODE", "SUBNET", "SUBNET6", "BRIDGE", "STATE", "AUTOSTART", "DOMAIN"])
        var rows: [(String, [String])] = statuses.map { status in
            let record = status.record
            return (record.name.value, [record.name.value, record.mode.rawValue, record.subnet.description, record.subnet6?.description ?? "-", record.bridge, status.state.rawValue,
                                      record.autostart ? "yes" : "no", record.domain])
        }
        rows += broken.map { ($0.name.value, $0.tableRow) }
        for row in rows.sorted(by: { $0.0 < $1.0 }) { table.append(row.1) }
        return table.render() + broken.map { "\($0.name): broken: \($0.problem)\n" }.joined()
    }

    public static func details(_ status: NetworkStatus, extra: [(String, String)] = []) -> String {
        let record = status.record
        let plan = record.plan
        var lines: [(String, String)] = [
            ("name", record.name.value),
            ("state", status.state.rawValue + (status.problems.isEmpty ? "" : " (" + status.problems.joined(separator: "; ") + ")")),
            ("autostart", record.autostart ? "yes" : "no"),
            ("mode", record.mode.rawValue),
            ("profile", record.profile),
            ("bridge", record.bridge),
            ("subnet", record.subnet.description),
            ("gateway", plan.gateway.description),
            ("subnet6", record.subnet6?.description ?? "off"),
            ("gateway6", record.gateway6?.description ?? "-"),
            ("static hosts", "\(plan.staticHosts.start) - \(plan.staticHosts.end)"),
            ("containers", "\(plan.containers.start) - \(plan.containers.end)"),
            ("dhcp range", "\(plan.dhcp.start) - \(plan.dhcp.end)"),
            ("domain", record.domain),
            ("mtu", String(record.effectiveMTU)),
            ("firewall", record.firewall.rawValue + (record.isolation ? ", isolated from other vmnet networks" : "")),
            ("dnsmasq pid", status.dnsmasqPid.map(String.init) ?? "-"),
            ("ports", status.ports.isEmpty ? "-" : status.ports.joined(separator: " ")),
            ("created", record.created),
        ]
        if record.hostAccess != .all || record.egress != .all {
            lines.insert(("policy", "host_access=\(record.hostAccess) egress=\(record.mode == .nat ? record.egress.description : "none (host-only)")"),
                         at: lines.count - 1)
        }
        if let owner = record.owner { lines.insert(("project", "\(owner.project) (\(owner.file))"), at: lines.count - 1) }
        let options = record.dhcpOptions.extra
        if !options.isEmpty { lines.insert(("dhcp options", options.map(\.description).joined(separator: ";")), at: lines.count - 1) }
        lines += extra
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 1) + $0.1 }.joined(separator: "\n") + "\n"
    }
}
