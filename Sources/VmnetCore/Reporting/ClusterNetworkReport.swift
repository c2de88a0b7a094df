import JSON

/// How cluster networks are printed by list, show, create and leases.
public enum ClusterNetworkReport {
    public static func json(_ network: ClusterNetwork, ports: [ClusterPort]? = nil) -> JSONValue {
        let plan = network.plan
        var object: JSONObject = [
            "name": .string(network.name.value),
            "engine": .string(NetworkEngine.ovn.rawValue),
            "mode": .string(network.mode.rawValue),
            "profile": .string(network.profile),
            "subnet": .string(network.subnet.description),
            "gateway": .string(plan.gateway.description),
            "subnet6": JSONValue(network.subnet6?.description),
            "gateway6": JSONValue(network.plan6?.gateway.description),
            "address_plan": network.planOffsets.json,
            "domain": .string(network.domain),
            "mtu": JSONValue(network.mtu),
            "lease_time": .string(network.leaseTime),
            "dns": .array(network.dnsServers.map { .string($0.description) }),
            "gateways": JSONValue(network.gateways),
            "switch": .string(OVNNames.logicalSwitch(network.name)),
            "created": .string(network.created),
        ]
        if let ports { object["ports"] = .array(ports.map(portJSON)) }
        return .object(object)
    }

    public static func portJSON(_ port: ClusterPort) -> JSONValue {
        .object([
            "name": .string(port.name), "type": .string(port.type), "mac": JSONValue(port.mac), "ips": JSONValue(port.ips),
            "addresses": JSONValue(port.addresses), "up": port.up.map { .bool($0) } ?? .null, "chassis": JSONValue(port.chassis),
        ])
    }

    /// list's second table: the cluster networks, after the local ones.
    public static func table(_ networks: [ClusterNetwork]) -> String {
        var table = TextTable(headers: ["NAME", "ENGINE", "MODE", "SUBNET", "SUBNET6", "MTU", "GATEWAYS", "DOMAIN"])
        for network in networks {
            table.append([network.name.value, NetworkEngine.ovn.rawValue, network.mode.rawValue, network.subnet.description,
                          network.subnet6?.description ?? "-", String(network.mtu),
                          network.gateways.isEmpty ? "-" : network.gateways.joined(separator: ","), network.domain])
        }
        return table.render()
    }

    public static func details(_ network: ClusterNetwork, ports: [ClusterPort]) -> String {
        let plan = network.plan
        let lines: [(String, String)] = [
            ("name", network.name.value),
            ("engine", "ovn (cluster network, recorded in the OVN northbound database)"),
            ("mode", network.mode.rawValue),
            ("profile", network.profile),
            ("switch", OVNNames.logicalSwitch(network.name)),
            ("subnet", network.subnet.description),
            ("gateway", plan.gateway.description),
            ("subnet6", network.subnet6?.description ?? "off"),
            ("gateway6", network.plan6?.gateway.description ?? "-"),
            ("static hosts", "\(plan.staticHosts.start) - \(plan.staticHosts.end)"),
            ("containers", "\(plan.containers.start) - \(plan.containers.end)"),
            ("dhcp range", "\(plan.dhcp.start) - \(plan.dhcp.end)"),
            ("domain", network.domain),
            ("mtu", String(network.mtu)),
            ("dns", network.dnsServers.map(\.description).joined(separator: " ")),
            ("gateways", network.gateways.isEmpty ? "-" : network.gateways.joined(separator: ",")),
            ("ports", ports.isEmpty ? "-" : ports.map { "\($0.name)\($0.chassis.map { "@" + $0 } ?? "")" }.joined(separator: " ")),
            ("created", network.created),
        ]
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 1) + $0.1 }.joined(separator: "\n") + "\n"
    }

    /// leases on a cluster network: its ports (the router's left out), as OVN holds them.
    public static func portsTable(_ network: ClusterNetwork, ports: [ClusterPort]) -> String {
        var table = TextTable(headers: ["NETWORK", "PORT", "MAC", "IP", "UP", "CHASSIS"])
        for port in ports where port.type != "router" {
            table.append([network.name.value, port.name, port.mac ?? "-", port.ips.isEmpty ? "-" : port.ips.joined(separator: " "),
                          port.up.map { $0 ? "yes" : "no" } ?? "-", port.chassis ?? "-"])
        }
        return table.render()
    }
}
