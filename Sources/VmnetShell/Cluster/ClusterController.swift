import VmnetCore

/// Carries out the cluster commands (membership, networks on OVN, guests, gateways, doctor's
/// OVN checks). The northbound database is the record of every cluster network; this host
/// keeps only its membership (`ClusterConfig`) and its own attachments. Each part lives in
/// an extension file: `+Membership`, `+Networks`, `+Guests`, `+Gateway`, `+Doctor`.
public struct ClusterController: Sendable {
    let paths: Paths
    let environment: [String: String]
    let collaborators: NetworkCollaborators
    let probe: HostProbe
    let resolved: ResolvedRegistrar
    let warnings: Warnings
    /// This host's membership as read when the controller was made; nil when it has not joined.
    public let config: ClusterConfig?
    public let endpoints: ClusterEndpoints

    public init(paths: Paths, environment: [String: String], collaborators: NetworkCollaborators = .system(),
                warnings: Warnings = Warnings()) throws(VmnetError) {
        self.paths = paths
        self.environment = environment
        self.collaborators = collaborators
        self.warnings = warnings
        probe = HostProbe(runner: collaborators.runner, environment: environment, host: collaborators.host)
        resolved = ResolvedRegistrar(runner: collaborators.runner, environment: environment, warnings: warnings)
        config = try ClusterConfig.load(paths)
        endpoints = ClusterEndpoints(environment: environment, config: config)
    }

    var runner: CommandRunner { collaborators.runner }

    /// Whether cluster networks can be looked up here at all: the host joined, or
    /// `$OVN_NB_DB` names a northbound database.
    public var isMember: Bool { endpoints.northbound != nil }

    public static let joinHint = "run 'vmnet cluster join --nb tcp:IP:6641 --encap-ip IP' on this host first"

    /// The northbound database; a host that has not joined is told how to.
    func northbound(doing: String) throws(VmnetError) -> OVSDBClient {
        guard let address = endpoints.northbound else { throw .conflict("\(doing): this host is not in a cluster: \(ClusterController.joinHint)") }
        return OVSDBClient(runner: runner, address: address, role: "the OVN northbound database", ssl: config?.ssl)
    }

    func southbound(doing: String) throws(VmnetError) -> OVSDBClient {
        guard let address = endpoints.southbound else { throw .conflict("\(doing): this host is not in a cluster: \(ClusterController.joinHint)") }
        return OVSDBClient(runner: runner, address: address, role: "the OVN southbound database", ssl: config?.ssl)
    }

    /// This host's own Open vSwitch database.
    var localSwitch: OVSDBClient {
        OVSDBClient(runner: runner, address: endpoints.localSwitch, role: "the local Open vSwitch database")
    }

    /// This host's chassis name, once joined.
    func chassis(doing: String) throws(VmnetError) -> String {
        guard let config else { throw .conflict("\(doing): this host is not in a cluster: \(ClusterController.joinHint)") }
        return config.chassis
    }
}
