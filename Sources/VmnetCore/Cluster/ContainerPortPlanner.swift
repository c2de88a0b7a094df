/// The northbound and local Open vSwitch changes that attach a container to a cluster network
/// and detach it again. Reads happen in one transaction (`reads`), the change in another that
/// starts with a `wait` on the switch's ports as read: when another member added a port in
/// between (and so may have taken the same address), nothing happens and the caller reads again.
public enum ContainerPortPlanner {
    /// What `reads` returned, for one network.
    public struct Snapshot: Sendable {
        public var network: ClusterNetwork
        /// The switch's `ports` column as read: what the change's `wait` compares.
        public var switchPorts: [String]
        /// The switch's ports (rows of Logical_Switch_Port it references).
        public var ports: [OVSDBRow]
        public var dnsRecords: [String: String]?

        /// Builds the snapshot from the replies to `reads(network:)`; nil when NB has no such
        /// vmnet network.
        public init?(rows: [[OVSDBRow]]) {
            guard rows.count == 3, let switchRow = rows[0].first, let network = ClusterNetwork(externalIDs: switchRow.map("external_ids")) else { return nil }
            self.network = network
            switchPorts = switchRow.strings("ports")
            let members = Set(switchPorts)
            ports = rows[1].filter { $0.uuid.map(members.contains) ?? false }
            dnsRecords = rows[2].first.map { $0.map("records") }
        }

        /// The port of a container, if NB has it.
        public func port(of containerID: String) -> OVSDBRow? {
            let name = OVNNames.containerPort(network.name, containerID: containerID)
            return ports.first { $0.string("name") == name }
        }
    }

    public static func reads(network: NetworkName) -> [OVSDBOperation] {
        [
            .select(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.logicalSwitch(network)))] + OVNOwnership.belongs(to: network.value),
                    columns: ["_uuid", "name", "ports", "external_ids"]),
            .select(table: "Logical_Switch_Port", where: [], columns: ["_uuid", "name", "addresses", "external_ids"]),
            .select(table: "DNS", where: OVNOwnership.belongs(to: network.value), columns: ["_uuid", "records"]),
        ]
    }

    /// The port for a container (its old one when NB already has it: ADD repeated) and the
    /// operations that create it; throws when the containers' range is full or the name is
    /// another's.
    public static func add(_ snapshot: Snapshot, containerID: String, containerName: String?, chassis: String?)
        throws(VmnetError) -> (port: ContainerPort, operations: [OVSDBOperation]) {
        let network = snapshot.network
        let hostName = ContainerPort.hostName(containerName, network: network.name)
        if let existing = snapshot.port(of: containerID), let port = port(existing, network: network) {
            return (port, dnsInsert(port, network: network.name, records: snapshot.dnsRecords))
        }
        let used = Set(snapshot.ports.flatMap { $0.strings("addresses").flatMap(addresses) })
        let range = network.plan.containers
        guard let address = (range.start.value...range.end.value).lazy.map({ IPv4Address($0) }).first(where: { !used.contains($0) }) else {
            throw VmnetError(.exhausted, "attaching container \(containerID.prefix(12)) to '\(network.name)': the containers' range \(range) is full: stop containers on it or create a larger network")
        }
        if let hostName, let taken = snapshot.dnsRecords?[hostName], taken != address.description {
            throw .conflict("attaching container \(containerID.prefix(12)) to '\(network.name)': the name \(hostName) already points at \(taken): give the container another --name")
        }
        let port = ContainerPort(network: network.name, containerID: containerID, mac: MACAddress.generated(from: "ovn-container:" + containerID),
                                 address: address, prefixLength: network.subnet.prefixLength, hostName: hostName)
        var ids = OVNOwnership.marks(network: network.name.value, [ContainerPort.Key.container: containerID])
        if let containerName { ids[ContainerPort.Key.containerName] = containerName }
        if let hostName { ids[ContainerPort.Key.hostName] = hostName }
        if let chassis { ids[ContainerPort.Key.chassis] = chassis }
        var options: [String: String] = [:]
        // Binds only on the member that made the veth: a copy of the iface-id elsewhere stays unbound.
        if let chassis { options["requested-chassis"] = chassis }
        let switchName = OVNNames.logicalSwitch(network.name)
        let operations: [OVSDBOperation] = [
            .wait(table: "Logical_Switch", where: [.equals("name", .string(switchName))], columns: ["ports"],
                  rows: [["ports": .set(snapshot.switchPorts.map { .uuid($0) })]]),
            .insert(table: "Logical_Switch_Port", row: [
                "name": .string(port.name), "addresses": .strings([port.addressEntry]), "port_security": .strings([port.addressEntry]),
                "options": .map(options), "external_ids": .map(ids),
            ], uuidName: "port"),
            .mutate(table: "Logical_Switch", where: [.equals("name", .string(switchName))], mutations: [.insert("ports", .set([.namedUUID("port")]))]),
        ] + dnsInsert(port, network: network.name, records: snapshot.dnsRecords)
        return (port, operations)
    }

    /// The operations that remove a container's port and names; empty when NB has none (DEL
    /// is idempotent).
    public static func delete(_ snapshot: Snapshot, containerID: String) -> [OVSDBOperation] {
        guard let row = snapshot.port(of: containerID), let uuid = row.uuid else { return [] }
        let network = snapshot.network.name
        // The switch's reference is the port's only one: dropping it deletes the row (OVSDB
        // collects unreferenced non-root rows; deleting it directly would break integrity).
        var operations: [OVSDBOperation] = [
            .mutate(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.logicalSwitch(network)))],
                    mutations: [.delete("ports", .set([.uuid(uuid)]))]),
        ]
        if let port = port(row, network: snapshot.network), snapshot.dnsRecords != nil, !port.dnsRecords.isEmpty {
            operations.append(.mutate(table: "DNS", where: OVNOwnership.belongs(to: network.value),
                                      mutations: [.delete("records", .strings(port.dnsRecords.keys.sorted()))]))
        }
        return operations
    }

    /// The container's port as NB holds it (from `addresses` and the external_ids vmnet wrote).
    static func port(_ row: OVSDBRow, network: ClusterNetwork) -> ContainerPort? {
        let ids = row.map("external_ids")
        guard let containerID = ids[ContainerPort.Key.container], let entry = row.strings("addresses").first else { return nil }
        let words = entry.split(separator: " ")
        guard words.count >= 2, let mac = MACAddress(String(words[0])), let address = IPv4Address(words[1]) else { return nil }
        return ContainerPort(network: network.name, containerID: containerID, mac: mac, address: address,
                             prefixLength: network.subnet.prefixLength, hostName: ids[ContainerPort.Key.hostName])
    }

    private static func dnsInsert(_ port: ContainerPort, network: NetworkName, records: [String: String]?) -> [OVSDBOperation] {
        guard records != nil, !port.dnsRecords.isEmpty else { return [] }
        return [.mutate(table: "DNS", where: OVNOwnership.belongs(to: network.value), mutations: [.insert("records", .map(port.dnsRecords))])]
    }

    /// The IPv4 addresses in one `addresses` entry ("MAC IP [IP…]", "router", "dynamic").
    static func addresses(_ entry: String) -> [IPv4Address] {
        entry.split(separator: " ").compactMap { IPv4Address($0) }
    }

    // MARK: The local Open vSwitch database

    /// Plugs the container's host-side veth into br-int with the port's iface-id, as libvirt
    /// does for `<virtualport type='openvswitch'>`: ovn-controller then binds the LSP here.
    public static func plug(_ port: ContainerPort) -> [OVSDBOperation] {
        let ids = [
            "iface-id": port.name, "attached-mac": port.mac.description,
            OVNOwnership.ownerKey: OVNOwnership.owner, ContainerPort.Key.container: port.containerID,
        ]
        return [
            .insert(table: "Interface", row: ["name": .string(port.hostInterface), "external_ids": .map(ids)], uuidName: "interface"),
            .insert(table: "Port", row: ["name": .string(port.hostInterface), "interfaces": .set([.namedUUID("interface")]),
                                         "external_ids": .map([OVNOwnership.ownerKey: OVNOwnership.owner])], uuidName: "port"),
            .mutate(table: "Bridge", where: [.equals("name", .string(OVNNames.integrationBridge))], mutations: [.insert("ports", .set([.namedUUID("port")]))]),
        ]
    }

    /// Reads br-int (its datapath type), before anything is made: no bridge, no attachment.
    public static let integrationBridge: [OVSDBOperation] = [
        .select(table: "Bridge", where: [.equals("name", .string(OVNNames.integrationBridge))], columns: ["datapath_type"]),
    ]

    /// Reads the port of a host-side interface on br-int (for `unplug`).
    public static func plugged(_ interface: String) -> [OVSDBOperation] {
        [.select(table: "Port", where: [.equals("name", .string(interface))], columns: ["_uuid"])]
    }

    /// Reads whether ovn-controller has installed the flows of a plugged interface (it sets
    /// `external_ids:ovn-installed`, what ovn-kubernetes' CNI waits for too).
    public static func installed(_ interface: String) -> [OVSDBOperation] {
        [.select(table: "Interface", where: [.equals("name", .string(interface))], columns: ["external_ids"])]
    }

    public static func unplug(portUUID: String) -> [OVSDBOperation] {
        [.mutate(table: "Bridge", where: [.equals("name", .string(OVNNames.integrationBridge))], mutations: [.delete("ports", .set([.uuid(portUUID)]))])]
    }
}
