/// A member host's own attachment to a cluster network: an OVS internal port `vmh-*` on
/// br-int bound to the member's logical switch port, its kernel side (address, MTU, up) and
/// systemd-resolved's routing of NAME.vmnet to the network's router, where OVN answers.
public enum MemberAttachmentPlanner {
    /// The local Open vSwitch rows the attachment is: the interface and its port, by name.
    public static func readLocal(_ network: NetworkName) -> [OVSDBOperation] {
        let name = OVSDBDatum.string(OVNNames.memberInterface(network))
        return [
            .select(table: "Interface", where: [.equals("name", name)], columns: ["_uuid", "name", "external_ids", "mac", "mtu_request"]),
            .select(table: "Port", where: [.equals("name", name)], columns: ["_uuid", "name"]),
            .select(table: "Bridge", where: [.equals("name", .string(OVNNames.integrationBridge))], columns: ["_uuid", "name"]),
        ]
    }

    /// Whether the interface read is already this member's port with this MAC and MTU.
    public static func isPlugged(_ interface: OVSDBRow?, member: ClusterGuest, mtu: Int) -> Bool {
        guard let interface else { return false }
        return interface.map("external_ids")[ifaceIDKey] == member.port && interface.string("mac") == member.mac.description
            && interface.integer("mtu_request") == mtu
    }

    /// What ovn-controller binds a local interface to a logical port by (libvirt sets the same).
    public static let ifaceIDKey = "iface-id"

    /// Plugs the internal port into br-int (which ovn-controller made), with the logical
    /// port's MAC and the network's MTU set by OVS itself when it creates the kernel device.
    public static func plugTransaction(_ member: ClusterGuest, on network: NetworkName, mtu: Int) -> OVSDBTransaction {
        let name = OVSDBDatum.string(OVNNames.memberInterface(network))
        let bridge = OVSDBDatum.string(OVNNames.integrationBridge)
        let marks = OVNOwnership.marks(network: network.value)
        return OVSDBTransaction(OVSDBTransaction.openVSwitch, [
            .wait(table: "Bridge", where: [.equals("name", bridge)], columns: ["name"], rows: [["name": bridge]]),
            .comment("vmnet up \(network): member port \(member.port)"),
            .insert(table: "Interface", row: [
                "name": name, "type": .string("internal"), "mac": .string(member.mac.description), "mtu_request": .integer(mtu),
                "external_ids": .map(marks.merging([ifaceIDKey: member.port]) { $1 }),
            ], uuidName: "iface"),
            .insert(table: "Port", row: ["name": name, "interfaces": .set([.namedUUID("iface")]), "external_ids": .map(marks)], uuidName: "port"),
            .mutate(table: "Bridge", where: [.equals("name", bridge)], mutations: [.insert("ports", .set([.namedUUID("port")]))]),
        ])
    }

    /// Takes the port off br-int; OVS deletes the unreferenced Port and Interface rows and the
    /// kernel device with them.
    public static func unplugTransaction(portUUID: String, on network: NetworkName) -> OVSDBTransaction {
        OVSDBTransaction(OVSDBTransaction.openVSwitch, [
            .comment("vmnet down \(network): member port"),
            .mutate(table: "Bridge", where: [.equals("name", .string(OVNNames.integrationBridge))], mutations: [.delete("ports", .set([.uuid(portUUID)]))]),
        ])
    }

    /// The kernel side once OVS made the device: MTU, addresses, up.
    public static func linkOperations(_ member: ClusterGuest, on network: ClusterNetwork) -> [LinkOperation] {
        let name = OVNNames.memberInterface(network.name)
        var operations: [LinkOperation] = [.setMTU(name: name, mtu: network.mtu),
                                           .replaceAddress(name: name, address: member.ip, prefixLength: network.subnet.prefixLength)]
        if let ip6 = member.ip6 { operations.append(.replaceAddress6(name: name, address: ip6, prefixLength: AddressPlan6.prefixLength)) }
        operations.append(.setUp(name: name))
        return operations
    }

    /// systemd-resolved sends NAME.vmnet to the router address over the member's port: OVN
    /// answers the network's names there (the router itself has no DNS server).
    public static func registerResolver(_ network: ClusterNetwork) -> [[String]] {
        let link = OVNNames.memberInterface(network.name)
        return [["resolvectl", "dns", link, network.gateway.description], ["resolvectl", "domain", link, "~\(network.domain)"]]
    }

    public static func unregisterResolver(_ network: NetworkName) -> [[String]] {
        [["resolvectl", "revert", OVNNames.memberInterface(network)]]
    }
}
