import VmnetCore

/// The way out of NAT cluster networks: gateway chassis, the transit link, SNAT, failover and
/// forwards. (Stubs until the gateway part lands; the networks part calls them.)
extension ClusterController {
    /// `cluster join --gateway`, after the chassis registered: this host's transit side.
    func prepareGateway(_ config: ClusterConfig) throws(VmnetError) {}

    /// `cluster leave` on a gateway host: undoes `prepareGateway`.
    func releaseGateway(_ config: ClusterConfig) throws(VmnetError) {}

    /// The chassis `--gateway` names, checked against the southbound database (unknown or not
    /// gateway-capable: one line, nothing changed); the default is this host's chassis.
    func validateGateways(_ names: [String]) throws(VmnetError) -> [String] { names }

    /// What create's transaction adds for a NAT network's way out (read from NB as needed).
    func gatewayOperations(for network: ClusterNetwork, northbound: OVSDBClient) throws(VmnetError) -> [OVSDBOperation] { [] }

    /// What destroy's transaction adds to remove a NAT network's way out.
    func gatewayRemovalOperations(for network: ClusterNetwork, northbound: OVSDBClient) throws(VmnetError) -> [OVSDBOperation] { [] }
}
