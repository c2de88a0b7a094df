import JSON

/// One chassis of the cluster as `vmnet cluster status` shows it, read from the southbound
/// database: where it is, whether it is a gateway, whether its ovn-controller is connected
/// (it applied the latest northbound change), and which vmnet networks have ports bound there.
public struct ChassisStatus: Hashable, Sendable {
    public var name: String
    public var hostname: String
    public var encapIPs: [String]
    public var gateway: Bool
    public var connected: Bool
    public var networks: [String]

    public init(name: String, hostname: String, encapIPs: [String], gateway: Bool, connected: Bool, networks: [String]) {
        self.name = name
        self.hostname = hostname
        self.encapIPs = encapIPs
        self.gateway = gateway
        self.connected = connected
        self.networks = networks
    }

    /// How long status waits for every chassis to apply its bump of NB_Global.nb_cfg (what
    /// `ovn-nbctl --wait=hv sync` waits for): a live ovn-controller answers in well under it.
    public static let connectWaitMilliseconds = 2_000

    /// A chassis is connected when its ovn-controller reported (Chassis_Private.nb_cfg) the
    /// northbound configuration number status asked for, or a later one.
    public static func isConnected(reported: Int?, target: Int) -> Bool { (reported ?? Int.min) >= target }

    /// Whether every chassis has reported `target`: status need not wait any longer.
    public static func allConnected(privates: [OVSDBRow], target: Int) -> Bool {
        privates.allSatisfy { isConnected(reported: $0.integer("nb_cfg"), target: target) }
    }

    /// Whether a Chassis row lets OVN place gateway ports on it (`ovn-cms-options`, in
    /// other_config since OVN 22.x, in external_ids before).
    public static func isGateway(_ chassis: OVSDBRow) -> Bool {
        let options = chassis.map("other_config")["ovn-cms-options"] ?? chassis.map("external_ids")["ovn-cms-options"] ?? ""
        return options.split(separator: ",").contains { $0 == Substring(MembershipPlan.gatewayOption) }
    }

    /// vmnet's ports bound on one chassis, by network: `bindings` are southbound Port_Binding
    /// rows (logical_port, chassis), `ownedPorts` vmnet's northbound port names → their network.
    public static func boundPorts(chassisUUID: String, bindings: [OVSDBRow], ownedPorts: [String: String]) -> [String: [String]] {
        var ports: [String: [String]] = [:]
        for binding in bindings where binding.strings("chassis").contains(chassisUUID) {
            guard let port = binding.string("logical_port"), let network = ownedPorts[port] else { continue }
            ports[network, default: []].append(port)
        }
        return ports.mapValues { $0.sorted() }
    }

    /// The statuses of every chassis, by name, from one read of the southbound tables Chassis
    /// (_uuid, name, hostname, encaps, other_config, external_ids), Encap (_uuid, ip),
    /// Chassis_Private (name, nb_cfg) and Port_Binding (logical_port, chassis).
    public static func statuses(chassis: [OVSDBRow], encaps: [OVSDBRow], privates: [OVSDBRow], bindings: [OVSDBRow],
                                ownedPorts: [String: String], target: Int) -> [ChassisStatus] {
        let encapIPs = encapAddresses(chassis: chassis, encaps: encaps)
        var reported: [String: Int] = [:]
        for row in privates { if let name = row.string("name"), let cfg = row.integer("nb_cfg") { reported[name] = cfg } }
        return chassis.compactMap { row -> ChassisStatus? in
            guard let name = row.string("name") else { return nil }
            let networks = row.uuid.map { boundPorts(chassisUUID: $0, bindings: bindings, ownedPorts: ownedPorts).keys.sorted() } ?? []
            return ChassisStatus(name: name, hostname: row.string("hostname") ?? "", encapIPs: encapIPs[name] ?? [],
                                 gateway: isGateway(row), connected: isConnected(reported: reported[name], target: target), networks: networks)
        }.sorted { $0.name < $1.name }
    }

    /// Each chassis's tunnel addresses (its Encap rows' ip), by chassis name.
    public static func encapAddresses(chassis: [OVSDBRow], encaps: [OVSDBRow]) -> [String: [String]] {
        var ipOfEncap: [String: String] = [:]
        for encap in encaps { if let uuid = encap.uuid, let ip = encap.string("ip") { ipOfEncap[uuid] = ip } }
        var addresses: [String: [String]] = [:]
        for row in chassis {
            if let name = row.string("name") { addresses[name] = Set(row.strings("encaps").compactMap { ipOfEncap[$0] }).sorted() }
        }
        return addresses
    }

    public var json: JSONValue {
        .object(JSONObject([("name", .string(name)), ("hostname", .string(hostname)), ("encap_ips", JSONValue(encapIPs)),
                            ("gateway", .bool(gateway)), ("connected", .bool(connected)), ("networks", JSONValue(networks))]))
    }

    /// The aligned table `cluster status` prints.
    public static func table(_ statuses: [ChassisStatus]) -> String {
        var table = TextTable(headers: ["CHASSIS", "HOSTNAME", "ENCAP-IP", "GATEWAY", "CONNECTED", "NETWORKS"])
        for status in statuses {
            table.append([status.name, status.hostname.isEmpty ? "-" : status.hostname, status.encapIPs.isEmpty ? "-" : status.encapIPs.joined(separator: ","),
                          status.gateway ? "yes" : "no", status.connected ? "yes" : "no",
                          status.networks.isEmpty ? "-" : status.networks.joined(separator: ",")])
        }
        return table.render()
    }
}
