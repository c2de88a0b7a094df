/// A gateway host's own Open vSwitch side of the transit link: `ovn-bridge-mappings` maps the
/// external physical network to bridge `br-vmnet-ext`, whose internal port `vmnet-transit`
/// is the kernel's end (the same MAC on every gateway, see `ClusterTransit.mac`). Other
/// mappings in the key are kept.
public struct TransitBridgePlanner: Sendable {
    public static let reads: [OVSDBOperation] = [
        .select(table: "Open_vSwitch", where: [], columns: ["external_ids"]),
        .select(table: "Bridge", where: [.equals("name", .string(OVNNames.transitBridge))], columns: ["_uuid"]),
    ]

    public static let mappingsKey = "ovn-bridge-mappings"
    public static let datapathTypeKey = "ovn-bridge-datapath-type"
    static let mapping = "\(OVNNames.externalPhysicalNetwork):\(OVNNames.transitBridge)"

    /// The local Open_vSwitch row's external_ids.
    public let externalIDs: [String: String]
    /// The transit bridge's uuid, nil when absent.
    public let bridge: String?

    public init(externalIDs: [String: String], bridge: String?) {
        self.externalIDs = externalIDs
        self.bridge = bridge
    }

    public init(rows: [[OVSDBRow]]) {
        self.init(externalIDs: rows[0].first?.map("external_ids") ?? [:], bridge: rows[1].first?.uuid)
    }

    /// The mappings without ours (a comma list of `physnet:bridge`).
    var otherMappings: [String] {
        (externalIDs[TransitBridgePlanner.mappingsKey] ?? "").split(separator: ",").map(String.init)
            .filter { !$0.hasPrefix(OVNNames.externalPhysicalNetwork + ":") && !$0.isEmpty }
    }

    private func setMappings(_ mappings: [String]) -> [OVSDBOperation] {
        var mutations: [OVSDBMutation] = [.delete("external_ids", .strings([TransitBridgePlanner.mappingsKey]))]
        if !mappings.isEmpty { mutations.append(.insert("external_ids", .map([TransitBridgePlanner.mappingsKey: mappings.joined(separator: ",")]))) }
        return [.mutate(table: "Open_vSwitch", where: [], mutations: mutations)]
    }

    /// Adds the mapping and, when absent, the bridge with its internal port; re-asserts the
    /// port's MAC when the bridge exists.
    public func createOperations(transit: ClusterTransit) -> [OVSDBOperation] {
        var operations = setMappings(otherMappings + [TransitBridgePlanner.mapping])
        let mac = OVSDBDatum.string(transit.mac.description)
        guard bridge == nil else {
            return operations + [.update(table: "Interface", where: [.equals("name", .string(OVNNames.transitInterface))], row: ["mac": mac])]
        }
        var bridgeRow: [String: OVSDBDatum] = [
            "name": .string(OVNNames.transitBridge), "ports": .set([.namedUUID("transitport")]),
            "external_ids": .map([OVNOwnership.ownerKey: OVNOwnership.owner]),
        ]
        // The same datapath as br-int (OVN reads this key for it); netdev where there is no
        // kernel OVS module.
        if let datapath = externalIDs[TransitBridgePlanner.datapathTypeKey], !datapath.isEmpty { bridgeRow["datapath_type"] = .string(datapath) }
        operations += [
            .insert(table: "Interface", row: ["name": .string(OVNNames.transitInterface), "type": .string("internal"), "mac": mac],
                    uuidName: "transitinterface"),
            .insert(table: "Port", row: ["name": .string(OVNNames.transitInterface), "interfaces": .set([.namedUUID("transitinterface")])],
                    uuidName: "transitport"),
            .insert(table: "Bridge", row: bridgeRow, uuidName: "transitbridge"),
            .mutate(table: "Open_vSwitch", where: [], mutations: [.insert("bridges", .set([.namedUUID("transitbridge")]))]),
        ]
        return operations
    }

    /// Removes the mapping and the bridge (its port and interface go with it).
    public func removalOperations() -> [OVSDBOperation] {
        var operations = setMappings(otherMappings)
        if let bridge { operations.append(.mutate(table: "Open_vSwitch", where: [], mutations: [.delete("bridges", .set([.uuid(bridge)]))])) }
        return operations
    }
}
