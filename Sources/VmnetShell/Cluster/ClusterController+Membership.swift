import Glibc
import VmnetCore

/// `vmnet cluster join|status|leave`: this host's chassis in the cluster. Join writes only the
/// local Open vSwitch row's external_ids that ovn-controller reads (and cluster.json, the
/// record of what they were before); ovn-controller does the rest.
extension ClusterController {
    public enum JoinOutcome: Sendable {
        case joined(ClusterConfig)
        /// Join asked again with the values the host already has: nothing to do.
        case alreadyJoined(ClusterConfig)
    }

    /// How long join waits for ovn-controller to register the chassis in the southbound database.
    static let chassisWaitMilliseconds = 10_000
    static let pollMilliseconds = 50

    public func join(_ request: ClusterJoinRequest, ssl: ClusterConfig.SSL? = nil) throws(VmnetError) -> JoinOutcome {
        let doing = "joining the cluster"
        if let config {
            if ClusterController.matches(config, request) { return .alreadyJoined(config) }
            throw .conflict("\(doing): this host already joined as chassis '\(config.chassis)' of \(config.northbound): 'vmnet cluster leave' first")
        }
        let northbound = OVSDBClient(runner: runner, address: request.northbound.description, role: "the OVN northbound database", ssl: ssl)
        let southbound = OVSDBClient(runner: runner, address: request.southbound.description, role: "the OVN southbound database", ssl: ssl)
        // Both databases answer before anything changes: a wrong address changes nothing.
        _ = try northbound.select([.select(table: "NB_Global", where: [], columns: ["nb_cfg"])], database: OVSDBTransaction.northbound, doing: doing)
        _ = try southbound.select([.select(table: "SB_Global", where: [], columns: ["nb_cfg"])], database: OVSDBTransaction.southbound, doing: doing)
        let hostname = hostName()
        return try Revert.run { (revert) throws(VmnetError) -> JoinOutcome in
            var plan: MembershipPlan?
            var membership: ClusterConfig?
            _ = try localSwitch.transactRetrying(doing: doing) { () throws(VmnetError) -> OVSDBTransaction in
                let current = try localExternalIDs(doing: doing)
                let made = MembershipPlan(request: request, current: current, hostname: hostname)
                if membership == nil {
                    // The record of what join replaces is on disk before the change it describes.
                    let config = ClusterConfig(northbound: request.northbound.description, southbound: request.southbound.description,
                                               chassis: made.chassis, encapIP: request.encapIP, gateway: request.gateway, ssl: ssl,
                                               previous: made.previous)
                    try config.save(paths)
                    revert.add("removing \(ClusterConfig.file(in: paths))") { FileSystem.remove(ClusterConfig.file(in: paths)) }
                    membership = config
                } else {
                    membership?.previous = made.previous
                    try membership?.save(paths)
                }
                plan = made
                return OVSDBTransaction(OVSDBTransaction.openVSwitch, made.operations)
            }
            guard let plan, let config = membership else { throw .failed("\(doing): no plan was made") }
            revert.add("restoring the local Open vSwitch external_ids") { () throws(VmnetError) in
                try restoreLocalSwitch(config.previous, doing: "restoring the local Open vSwitch external_ids")
            }
            try waitForChassis(plan.chassis, southbound: southbound, doing: doing)
            if config.gateway {
                revert.add("releasing this host's gateway side") { () throws(VmnetError) in try releaseGateway(config) }
                try prepareGateway(config)
            }
            return .joined(config)
        }
    }

    /// Every chassis of the cluster, with whether its ovn-controller is connected: status bumps
    /// NB_Global.nb_cfg (as `ovn-nbctl --wait=hv sync` does) and waits up to 2 s for each
    /// chassis to report it.
    public func status() throws(VmnetError) -> [ChassisStatus] {
        let doing = "reading the cluster's status"
        let northbound = try northbound(doing: doing)
        let southbound = try southbound(doing: doing)
        let bump = try northbound.transact(OVSDBTransaction(OVSDBTransaction.northbound, ClusterController.bumpConfiguration + [ownedPortsSelect]),
                                           doing: doing)
        let target = bump.rows(1).first?.integer("nb_cfg") ?? 0
        let ownedPorts = ClusterController.ownedPorts(bump.rows(2))
        _ = try awaitConfiguration(target, chassis: nil, southbound: southbound, doing: doing)
        let rows = try southbound.select([
            .select(table: "Chassis", where: [], columns: ["_uuid", "name", "hostname", "encaps", "other_config", "external_ids"]),
            .select(table: "Encap", where: [], columns: ["_uuid", "ip"]),
            .select(table: "Chassis_Private", where: [], columns: ["name", "nb_cfg"]),
            ClusterController.boundBindingsSelect,
        ], database: OVSDBTransaction.southbound, doing: doing)
        return ChassisStatus.statuses(chassis: rows[0], encaps: rows[1], privates: rows[2], bindings: rows[3], ownedPorts: ownedPorts, target: target)
    }

    /// Leaves the cluster: refused while vmnet ports are bound here (unless `force`); puts the
    /// local Open vSwitch external_ids back as they were, removes this chassis from the
    /// southbound database, then cluster.json.
    public func leave(force: Bool) throws(VmnetError) -> ClusterConfig {
        let doing = "leaving the cluster"
        let chassis = try chassis(doing: doing)
        guard let config else { throw .conflict("\(doing): this host is not in a cluster") }
        let southbound = try southbound(doing: doing)
        let bound: [String: [String]]
        do { bound = try boundPorts(chassis: chassis, southbound: southbound, doing: doing) } catch {
            guard force else { throw error }
            warnings.add("\(error.message): leaving anyway (--force)")
            bound = [:]
        }
        if !bound.isEmpty && !force {
            let listed = bound.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.joined(separator: ", ")))" }.joined(separator: "; ")
            throw .conflict("\(doing): ports of vmnet networks are bound on chassis '\(chassis)': \(listed): "
                + "stop or unplug the guests and run 'vmnet down' on those networks here first, or 'vmnet cluster leave --force'")
        }
        // Forced: this host's own attachments go first (they need its chassis name and NB).
        for (network, ports) in bound.sorted(by: { $0.key < $1.key }) {
            guard let name = try? NetworkName(network), ports.contains(OVNNames.memberPort(name, chassis: chassis)) else { continue }
            do {
                if let found = try self.network(name) { try detach(found) }
            } catch {
                warnings.add("\(error.message): leaving anyway (--force)")
            }
        }
        if config.gateway { try releaseGateway(config) }
        try restoreLocalSwitch(config.previous, doing: doing)
        do {
            _ = try southbound.transact(OVSDBTransaction(OVSDBTransaction.southbound, [
                .delete(table: "Chassis_Private", where: [.equals("name", .string(chassis))]),
                .delete(table: "Chassis", where: [.equals("name", .string(chassis))]),
            ]), doing: doing)
        } catch where force {
            warnings.add("\(error.message): chassis '\(chassis)' stays in the southbound database ('ovn-sbctl chassis-del \(chassis)' removes it)")
        }
        FileSystem.remove(ClusterConfig.file(in: paths))
        return config
    }

    // MARK: - Steps

    /// What `ovn-nbctl --wait=hv sync` does: a new northbound configuration number (operation 1
    /// selects it) that each ovn-controller reports in Chassis_Private.nb_cfg once applied.
    static let bumpConfiguration: [OVSDBOperation] = [
        .mutate(table: "NB_Global", where: [], mutations: [OVSDBMutation("nb_cfg", "+=", .integer(1))]),
        .select(table: "NB_Global", where: [], columns: ["nb_cfg"]),
    ]

    /// Waits up to 2 s until every chassis (or only `chassis`) reported `target`; returns the
    /// Chassis_Private rows last read.
    func awaitConfiguration(_ target: Int, chassis: String?, southbound: OVSDBClient, doing: String) throws(VmnetError) -> [OVSDBRow] {
        let query = OVSDBOperation.select(table: "Chassis_Private", where: chassis.map { [.equals("name", .string($0))] } ?? [], columns: ["name", "nb_cfg"])
        var privates: [OVSDBRow] = []
        let deadline = ContinuousClock.now + .milliseconds(ChassisStatus.connectWaitMilliseconds)
        repeat {
            privates = try southbound.select([query], database: OVSDBTransaction.southbound, doing: doing)[0]
            if ChassisStatus.allConnected(privates: privates, target: target) { break }
            usleep(UInt32(ClusterController.pollMilliseconds * 1_000))
        } while ContinuousClock.now < deadline
        return privates
    }

    static func matches(_ config: ClusterConfig, _ request: ClusterJoinRequest) -> Bool {
        config.northbound == request.northbound.description && config.southbound == request.southbound.description
            && config.encapIP == request.encapIP && config.gateway == request.gateway && (request.chassis.map { $0 == config.chassis } ?? true)
    }

    /// The local Open_vSwitch row's external_ids.
    func localExternalIDs(doing: String) throws(VmnetError) -> [String: String] {
        let rows = try localSwitch.select([MembershipPlan.readOperation], database: OVSDBTransaction.openVSwitch, doing: doing)[0]
        guard let row = rows.first else {
            throw .failed("\(doing): the local Open vSwitch database at \(endpoints.localSwitch) has no Open_vSwitch row: run 'ovs-vsctl init'")
        }
        return row.map("external_ids")
    }

    func restoreLocalSwitch(_ previous: [String: String?], doing: String) throws(VmnetError) {
        _ = try localSwitch.transact(OVSDBTransaction(OVSDBTransaction.openVSwitch, MembershipPlan.restoreOperations(previous: previous)), doing: doing)
    }

    func waitForChassis(_ chassis: String, southbound: OVSDBClient, doing: String) throws(VmnetError) {
        let query = OVSDBOperation.select(table: "Chassis", where: [.equals("name", .string(chassis))], columns: ["name"])
        let deadline = ContinuousClock.now + .milliseconds(ClusterController.chassisWaitMilliseconds)
        repeat {
            if !(try southbound.select([query], database: OVSDBTransaction.southbound, doing: doing)[0]).isEmpty { return }
            usleep(UInt32(ClusterController.pollMilliseconds * 1_000))
        } while ContinuousClock.now < deadline
        throw .failed("\(doing): chassis \(chassis) did not appear in SB \(southbound.address) within \(ClusterController.chassisWaitMilliseconds / 1_000) s: "
            + "is ovn-controller running on this host?")
    }

    /// vmnet's ports bound on `chassis`, by network.
    func boundPorts(chassis: String, southbound: OVSDBClient, doing: String) throws(VmnetError) -> [String: [String]] {
        let rows = try southbound.select([
            .select(table: "Chassis", where: [.equals("name", .string(chassis))], columns: ["_uuid"]), ClusterController.boundBindingsSelect,
        ], database: OVSDBTransaction.southbound, doing: doing)
        guard let uuid = rows[0].first?.uuid, !rows[1].isEmpty else { return [:] }
        let owned = try northbound(doing: doing).select([ownedPortsSelect], database: OVSDBTransaction.northbound, doing: doing)[0]
        return ChassisStatus.boundPorts(chassisUUID: uuid, bindings: rows[1], ownedPorts: ClusterController.ownedPorts(owned))
    }

    var ownedPortsSelect: OVSDBOperation {
        .select(table: "Logical_Switch_Port", where: OVNOwnership.owned, columns: ["name", "external_ids"])
    }

    static let boundBindingsSelect = OVSDBOperation.select(table: "Port_Binding", where: [OVSDBCondition("chassis", "!=", .none)],
                                                           columns: ["logical_port", "chassis"])

    /// vmnet's northbound port names → their network.
    static func ownedPorts(_ rows: [OVSDBRow]) -> [String: String] {
        var ports: [String: String] = [:]
        for row in rows {
            if let name = row.string("name"), let network = row.map("external_ids")[OVNOwnership.networkKey] { ports[name] = network }
        }
        return ports
    }

    func hostName() -> String {
        collaborators.host.readIfPresent("/proc/sys/kernel/hostname")?.split(separator: "\n").first.map(String.init) ?? "localhost"
    }
}
