import VmnetCore

/// Forwards on NAT cluster networks: one OVN Load_Balancer per forward on the network's router
/// (vip: the router's transit address and PORT), and on each gateway host a DNAT of its
/// uplinks' PORT to that vip. vmnet has no daemon: a gateway host puts the DNATs in place when
/// a forward command runs on it and at each `vmnet up` / `cluster join --gateway`.
extension ClusterController {
    /// What a forward command changed and where: whether this host's DNATs follow now, and
    /// the gateway hosts that apply it at their next `vmnet up`.
    public struct ForwardChange: Sendable {
        public var forwards: [ClusterForward]
        public var appliedHere: Bool
        public var pendingGateways: [String]
    }

    public func addForward(_ name: NetworkName, ports: String, target: String) throws(VmnetError) -> ForwardChange {
        let forward = try PortForward.parse(ports: ports, target: target)
        let doing = "forwarding \(forward.hostSide) to \(forward.target) on cluster network '\(name)'"
        let northbound = try northbound(doing: doing)
        let network = try requireClusterNetwork(name, doing: doing)
        var planned: ClusterForward?
        _ = try northbound.transactRetrying(doing: doing) { () throws(VmnetError) -> OVSDBTransaction in
            let rows = try northbound.select(ClusterForwardPlanner.reads(name), database: OVSDBTransaction.northbound, doing: doing)
            let (clusterForward, transaction) = try ClusterForwardPlanner.add(forward, on: network, rows: rows)
            planned = clusterForward
            return transaction ?? OVSDBTransaction(OVSDBTransaction.northbound, [.comment("\(forward.hostSide) is forwarded already")])
        }
        guard let planned else { throw .failed("\(doing): no forward was planned") }
        return try followOnGateways([planned], of: network)
    }

    public func removeForward(_ name: NetworkName, ports: String) throws(VmnetError) -> ForwardChange {
        let doing = "removing the forward \(ports) of cluster network '\(name)'"
        _ = try PortForward.parse(ports: ports)
        let northbound = try northbound(doing: doing)
        let network = try requireClusterNetwork(name, doing: doing)
        let rows = try loadBalancers(northbound, doing: doing)
        let (removed, transaction) = try ClusterForwardPlanner.remove(ports, on: name, rows: rows)
        _ = try northbound.transact(transaction, doing: doing)
        return try followOnGateways(removed, of: network)
    }

    /// The network's forwards, by port.
    public func forwards(of name: NetworkName) throws(VmnetError) -> [ClusterForward] {
        let doing = "listing the forwards of cluster network '\(name)'"
        let northbound = try northbound(doing: doing)
        _ = try requireClusterNetwork(name, doing: doing)
        return ClusterForwardPlanner.forwards(try loadBalancers(northbound, doing: doing)).filter { $0.network == name }
    }

    /// The DNATs the gateway `chassis` owes the cluster networks' forwards: those of every NAT
    /// network naming it among its gateways. (Join passes its chassis and NB before this
    /// controller's own view of the membership exists.)
    func gatewayForwards(chassis: String, northbound: OVSDBClient, doing: String) throws(VmnetError) -> [ClusterGatewayRuleset.Forward] {
        let rows = try northbound.select([
            ClusterForwardPlanner.readForwards,
            ClusterNetwork.readAll,
        ], database: OVSDBTransaction.northbound, doing: doing)
        let networks = ClusterNetwork.networks(in: rows[1])
        return ClusterForwardPlanner.gatewayForwards(rows[0], networks: networks, chassis: chassis)
    }

    /// Re-applies this host's gateway table when it is one of the network's gateways; the
    /// others are named so the caller can say when they follow.
    private func followOnGateways(_ forwards: [ClusterForward], of network: ClusterNetwork) throws(VmnetError) -> ForwardChange {
        let here = config.flatMap { $0.gateway ? $0.chassis : nil }
        let appliesHere = here.map(network.gateways.contains) ?? false
        if appliesHere { try reapplyGateway() }
        return ForwardChange(forwards: forwards, appliedHere: appliesHere, pendingGateways: network.gateways.filter { $0 != here })
    }

    private func loadBalancers(_ northbound: OVSDBClient, doing: String) throws(VmnetError) -> [OVSDBRow] {
        try northbound.select([ClusterForwardPlanner.readForwards], database: OVSDBTransaction.northbound, doing: doing)[0]
    }
}
