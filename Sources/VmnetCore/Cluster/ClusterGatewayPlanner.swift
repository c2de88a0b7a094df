/// The northbound rows of a NAT cluster network's way out: its router's port on the shared
/// `vmnet-external` switch (a transit address, one Gateway_Chassis row per gateway, highest
/// priority first), SNAT of the network's subnet to that address, and the default route via
/// the gateways' transit `.1`. The external switch and its localnet port are made with the
/// first NAT network and removed with the last. Reads first (`reads`), then plans from the
/// rows; every plan starts with `wait`s on what it read, so a concurrent change makes the
/// transaction fail harmlessly and the caller reads again.
public struct ClusterGatewayPlanner: Sendable {
    /// What the plans need, read in one transaction.
    public struct Observation: Hashable, Sendable {
        /// NB_Global's `vmnet-transit`, nil until a gateway joined.
        public var storedTransit: String?
        /// The `vmnet-external` switch (`_uuid`, `name`, `ports`), nil when absent.
        public var externalSwitch: OVSDBRow?
        /// Every router port (`name`, `networks`): the transit addresses in use.
        public var routerPorts: [OVSDBRow]
        /// The uuids of the network's port and of the localnet port on the external switch.
        public var networkPort: String?
        public var localnetPort: String?

        public init(storedTransit: String?, externalSwitch: OVSDBRow?, routerPorts: [OVSDBRow], networkPort: String?, localnetPort: String?) {
            self.storedTransit = storedTransit
            self.externalSwitch = externalSwitch
            self.routerPorts = routerPorts
            self.networkPort = networkPort
            self.localnetPort = localnetPort
        }

        /// From the rows of `reads(for:)`, in its order.
        public init(rows: [[OVSDBRow]]) {
            self.init(storedTransit: rows[0].first?.map("external_ids")[ClusterTransit.key], externalSwitch: rows[1].first,
                      routerPorts: rows[2], networkPort: rows[3].first?.uuid, localnetPort: rows[4].first?.uuid)
        }
    }

    public static let routerPortColumns = ["name", "networks"]

    public static func reads(for network: NetworkName) -> [OVSDBOperation] {
        [
            .select(table: "NB_Global", where: [], columns: ["external_ids"]),
            .select(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.externalSwitch))], columns: ["_uuid", "name", "ports"]),
            .select(table: "Logical_Router_Port", where: [], columns: routerPortColumns),
            .select(table: "Logical_Switch_Port", where: [.equals("name", .string(OVNNames.externalSwitchPort(network)))], columns: ["_uuid"]),
            .select(table: "Logical_Switch_Port", where: [.equals("name", .string(OVNNames.externalLocalnetPort))], columns: ["_uuid"]),
        ]
    }

    /// The external_ids of the rows all NAT networks share (no network key: destroying one
    /// network's rows never matches them).
    public static let sharedMarks = [OVNOwnership.ownerKey: OVNOwnership.owner, OVNOwnership.versionKey: OVNOwnership.version,
                                     "vmnet-role": "external"]

    public let network: ClusterNetwork
    public let observation: Observation

    public init(network: ClusterNetwork, observation: Observation) {
        self.network = network
        self.observation = observation
    }

    public var transit: ClusterTransit? { observation.storedTransit.flatMap { IPv4Subnet($0) }.map(ClusterTransit.init) }

    /// The router's transit address this plan takes: the first free from `.2`.
    public func routerAddress(in transit: ClusterTransit) throws(VmnetError) -> IPv4Address {
        var used: Set<IPv4Address> = [transit.gatewayAddress]
        for port in observation.routerPorts {
            for text in port.strings("networks") {
                if let address = IPv4Address(text.split(separator: "/").first ?? ""), transit.subnet.contains(address) { used.insert(address) }
            }
        }
        return try transit.freeRouterAddress(used: used)
    }

    /// The operations create's transaction adds; the router `vmnet-NAME` is inserted (or
    /// exists) before them in the same transaction.
    public func createOperations() throws(VmnetError) -> [OVSDBOperation] {
        let name = network.name
        guard network.mode == .nat, !network.gateways.isEmpty else { return [] }
        guard let transit else {
            throw .conflict("creating NAT cluster network '\(name.value)': no gateway has joined the cluster yet (no transit subnet in NB): "
                            + "run 'vmnet cluster join … --gateway' on a host with an uplink first")
        }
        let address = try routerAddress(in: transit)
        let marks = OVNOwnership.marks(network: name.value)
        let routerPort = OVNNames.externalRouterPort(name), switchPort = OVNNames.externalSwitchPort(name)
        var operations: [OVSDBOperation] = [
            .comment("vmnet: the way out of \(name.value) through \(network.gateways.joined(separator: ", "))"),
            // Every NAT network's transit address sits behind a port of the external switch: if
            // its ports changed since the read, another host took an address (or made the switch).
            .wait(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.externalSwitch))], columns: ["ports"],
                  rows: observation.externalSwitch.map { [["ports": $0["ports"] ?? .none]] } ?? []),
        ]
        var chassisRows: [OVSDBDatum] = []
        for (index, chassis) in network.gateways.enumerated() {
            let uuidName = "gwchassis\(index)"
            operations.append(.insert(table: "Gateway_Chassis", row: [
                "name": .string("\(routerPort)-\(chassis)"), "chassis_name": .string(chassis),
                "priority": .integer(network.gateways.count - index), "external_ids": .map(marks),
            ], uuidName: uuidName))
            chassisRows.append(.namedUUID(uuidName))
        }
        operations += [
            .insert(table: "Logical_Router_Port", row: [
                "name": .string(routerPort), "mac": .string(ClusterGatewayPlanner.externalMAC(name).description),
                "networks": .strings(["\(address)/\(transit.subnet.prefixLength)"]), "gateway_chassis": .set(chassisRows),
                "external_ids": .map(marks),
            ], uuidName: "extport"),
            .insert(table: "NAT", row: [
                "type": .string("snat"), "external_ip": .string(address.description), "logical_ip": .string(network.subnet.description),
                "external_ids": .map(marks),
            ], uuidName: "snat"),
            .insert(table: "Logical_Router_Static_Route", row: [
                "ip_prefix": .string("0.0.0.0/0"), "nexthop": .string(transit.gatewayAddress.description), "external_ids": .map(marks),
            ], uuidName: "defaultroute"),
            .mutate(table: "Logical_Router", where: [.equals("name", .string(OVNNames.router(name)))], mutations: [
                .insert("ports", .set([.namedUUID("extport")])), .insert("nat", .set([.namedUUID("snat")])),
                .insert("static_routes", .set([.namedUUID("defaultroute")])),
            ]),
            .insert(table: "Logical_Switch_Port", row: [
                "name": .string(switchPort), "type": .string("router"), "addresses": .strings(["router"]),
                "options": .map(["router-port": routerPort]), "external_ids": .map(marks),
            ], uuidName: "extswitchport"),
        ]
        if observation.externalSwitch == nil {
            operations += [
                .insert(table: "Logical_Switch_Port", row: [
                    "name": .string(OVNNames.externalLocalnetPort), "type": .string("localnet"), "addresses": .strings(["unknown"]),
                    "options": .map(["network_name": OVNNames.externalPhysicalNetwork]), "external_ids": .map(ClusterGatewayPlanner.sharedMarks),
                ], uuidName: "localnet"),
                .insert(table: "Logical_Switch", row: [
                    "name": .string(OVNNames.externalSwitch), "ports": .set([.namedUUID("localnet"), .namedUUID("extswitchport")]),
                    "external_ids": .map(ClusterGatewayPlanner.sharedMarks),
                ], uuidName: "external"),
            ]
        } else {
            operations.append(.mutate(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.externalSwitch))],
                                      mutations: [.insert("ports", .set([.namedUUID("extswitchport")]))]))
        }
        return operations
    }

    /// The operations destroy's transaction adds: the network's port on the external switch,
    /// or the whole switch when no other network's port is left on it. (The router port, its
    /// Gateway_Chassis, NAT and route rows go with the network's router.)
    public func removalOperations() -> [OVSDBOperation] {
        guard let externalSwitch = observation.externalSwitch, let networkPort = observation.networkPort else { return [] }
        let ports = externalSwitch.strings("ports")
        let others = ports.filter { $0 != networkPort && $0 != observation.localnetPort }
        let onSwitch: [OVSDBCondition] = [.equals("name", .string(OVNNames.externalSwitch))]
        guard others.isEmpty else {
            return [.mutate(table: "Logical_Switch", where: onSwitch, mutations: [.delete("ports", .set([.uuid(networkPort)]))])]
        }
        // Another host may add a NAT network between the read and this delete: the wait makes
        // that a lost race (read again) instead of deleting its port.
        return [
            .wait(table: "Logical_Switch", where: onSwitch, columns: ["ports"], rows: [["ports": externalSwitch["ports"] ?? .none]]),
            .delete(table: "Logical_Switch", where: onSwitch),
        ]
    }

    /// The router's external port's MAC: stable for the network's name.
    public static func externalMAC(_ network: NetworkName) -> MACAddress { MACAddress.generated(from: "ovn-router-external:" + network.value) }
}
