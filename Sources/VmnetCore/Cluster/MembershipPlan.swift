/// What `cluster join` changes in the local Open vSwitch database, and what `leave` puts back:
/// the Open_vSwitch row's external_ids ovn-controller reads (its chassis name, where the
/// southbound database is, the tunnel type and address, and for a gateway the CMS option that
/// lets OVN schedule gateway ports on it).
public struct MembershipPlan: Hashable, Sendable {
    public let chassis: String
    /// The external_ids join sets.
    public let settings: [String: String]
    /// The same keys' values before join; nil for a key that was absent.
    public let previous: [String: String?]
    /// The row's external_ids as read: the change lands only if they are still so.
    public let current: [String: String]

    public static let table = "Open_vSwitch"
    public static let gatewayOption = "enable-chassis-as-gw"

    public enum Key {
        public static let systemID = "system-id"
        public static let remote = "ovn-remote"
        public static let encapType = "ovn-encap-type"
        public static let encapIP = "ovn-encap-ip"
        public static let cmsOptions = "ovn-cms-options"
    }

    public init(request: ClusterJoinRequest, current: [String: String], hostname: String) {
        chassis = request.chassisName(systemID: current[Key.systemID], hostname: hostname)
        var settings = [Key.systemID: chassis, Key.remote: request.southbound.description, Key.encapType: "geneve",
                        Key.encapIP: request.encapIP]
        if request.gateway { settings[Key.cmsOptions] = MembershipPlan.gatewayOption }
        self.settings = settings
        var previous: [String: String?] = [:]
        for key in settings.keys { previous[key] = current[key] }
        self.previous = previous
        self.current = current
    }

    /// One transaction on Open_vSwitch: wait until external_ids are as read (another tool may
    /// have changed them since), then replace the keys join sets. A map `insert` keeps an
    /// existing key's value, hence the delete first.
    public var operations: [OVSDBOperation] {
        [
            .wait(table: MembershipPlan.table, where: [], columns: ["external_ids"], rows: [["external_ids": .map(current)]]),
            .mutate(table: MembershipPlan.table, where: [], mutations: [
                .delete("external_ids", .strings(settings.keys.sorted())), .insert("external_ids", .map(settings)),
            ]),
        ]
    }

    /// Puts back what join replaced: its keys removed, those that had a value given it again.
    public static func restoreOperations(previous: [String: String?]) -> [OVSDBOperation] {
        var mutations: [OVSDBMutation] = [.delete("external_ids", .strings(previous.keys.sorted()))]
        let restored = previous.compactMapValues { $0 }
        if !restored.isEmpty { mutations.append(.insert("external_ids", .map(restored))) }
        return [.mutate(table: table, where: [], mutations: mutations)]
    }

    public static let readOperation = OVSDBOperation.select(table: table, where: [], columns: ["external_ids"])
}
