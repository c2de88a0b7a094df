import Glibc
import VmnetCore

/// The way out of NAT cluster networks: gateway chassis, the transit link, SNAT, failover and
/// forwards. A gateway host holds the transit link's `.1` on its own OVS internal port
/// `vmnet-transit` (no second NIC: OVN's localnet port reaches the kernel through it) and
/// masquerades the transit subnet out of its uplinks.
extension ClusterController {
    /// `cluster join --gateway`, after the chassis registered: this host's transit side.
    func prepareGateway(_ config: ClusterConfig) throws(VmnetError) {
        let doing = "preparing this host as a gateway"
        // Join calls this before the controller's own view of the membership exists.
        let northbound = OVSDBClient(runner: runner, address: endpoints.northbound ?? config.northbound,
                                     role: "the OVN northbound database", ssl: config.ssl)
        let transit = try claimTransit(northbound: northbound, doing: doing)
        try Revert.run { (revert) throws(VmnetError) in
            revert.add("removing \(OVNNames.transitBridge)") { () throws(VmnetError) in try removeTransitBridge(doing: "undoing \(doing)") }
            try addTransitBridge(transit, doing: doing)
            revert.add("deleting nft table \(ClusterGatewayRuleset.table)") { removeGatewayTable() }
            let forwards = try gatewayForwards(chassis: config.chassis, northbound: northbound, doing: doing)
            try applyTransitKernelSide(transit, forwards: forwards, doing: doing)
        }
    }

    /// `vmnet up` on a gateway host: puts the transit side back (after a reboot the kernel's
    /// address and nft table are gone; the OVS bridge survives in its database) and
    /// reconciles the forwards. Changes nothing when all is in place.
    public func reapplyGateway() throws(VmnetError) {
        guard let config, config.gateway else { return }
        let doing = "re-applying this gateway's transit link"
        let northbound = try northbound(doing: doing)
        let transit = try claimTransit(northbound: northbound, doing: doing)
        try addTransitBridge(transit, doing: doing)
        try applyTransitKernelSide(transit, forwards: try gatewayForwards(chassis: config.chassis, northbound: northbound, doing: doing), doing: doing)
    }

    /// `cluster leave` on a gateway host: undoes `prepareGateway`. The transit subnet stays in
    /// NB for the other gateways.
    func releaseGateway(_ config: ClusterConfig) throws(VmnetError) {
        removeGatewayTable()
        try removeTransitBridge(doing: "releasing this host's gateway side")
    }

    /// The chassis `--gateway` names, checked against the southbound database (unknown or not
    /// gateway-capable: one line, nothing changed); the default is this host's chassis.
    func validateGateways(_ names: [String]) throws(VmnetError) -> [String] {
        let doing = "checking the gateways \(names.joined(separator: ","))"
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw .invalid("\(doing): '\(repeated)' is named twice: name each gateway once, most preferred first")
        }
        let rows = try southbound(doing: doing).select(
            [.select(table: "Chassis", where: [], columns: ["name", "other_config", "external_ids"])], database: OVSDBTransaction.southbound, doing: doing)[0]
        for name in names {
            guard let row = rows.first(where: { $0.string("name") == name }) else {
                let known = rows.compactMap { $0.string("name") }.sorted().joined(separator: ", ")
                throw .invalid("\(doing): chassis '\(name)' is not registered in the southbound database (registered: \(known.isEmpty ? "none" : known)): "
                               + "run 'vmnet cluster join … --gateway' on that host, or name a registered gateway")
            }
            // OVN 23.03 copies ovn-cms-options into other_config; older releases into external_ids.
            let options = (row.map("other_config")["ovn-cms-options"] ?? row.map("external_ids")["ovn-cms-options"] ?? "").split(separator: ",")
            guard options.contains("enable-chassis-as-gw") else {
                throw .invalid("\(doing): chassis '\(name)' is not a gateway (no enable-chassis-as-gw in its ovn-cms-options): "
                               + "run 'vmnet cluster join … --gateway' on that host")
            }
        }
        return names
    }

    /// What create's transaction adds for a NAT network's way out (read from NB as needed).
    func gatewayOperations(for network: ClusterNetwork, northbound: OVSDBClient) throws(VmnetError) -> [OVSDBOperation] {
        guard network.mode == .nat, !network.gateways.isEmpty else { return [] }
        return try gatewayPlanner(for: network, northbound: northbound, doing: "planning the way out of '\(network.name)'").createOperations()
    }

    /// What destroy's transaction adds to remove a NAT network's way out.
    func gatewayRemovalOperations(for network: ClusterNetwork, northbound: OVSDBClient) throws(VmnetError) -> [OVSDBOperation] {
        guard network.mode == .nat else { return [] }
        return try gatewayPlanner(for: network, northbound: northbound, doing: "planning the removal of the way out of '\(network.name)'").removalOperations()
    }

    private func gatewayPlanner(for network: ClusterNetwork, northbound: OVSDBClient, doing: String) throws(VmnetError) -> ClusterGatewayPlanner {
        let rows = try northbound.select(ClusterGatewayPlanner.reads(for: network.name), database: OVSDBTransaction.northbound, doing: doing)
        return ClusterGatewayPlanner(network: network, observation: ClusterGatewayPlanner.Observation(rows: rows))
    }

    /// The cluster's transit subnet: NB's when a gateway chose it (it must be free here), else
    /// a /24 free on this host and among the cluster networks, stored in NB for the others.
    func claimTransit(northbound: OVSDBClient, doing: String) throws(VmnetError) -> ClusterTransit {
        var snapshot = try probe.snapshot(forAllocation: true)
        // This host's own transit link is no claim against itself (re-applying after `up`).
        snapshot.addresses.removeAll { $0.interface == OVNNames.transitInterface }
        snapshot.routes.removeAll { $0.device == OVNNames.transitInterface }
        var chosen: ClusterTransit?
        _ = try northbound.transactRetrying(doing: doing) { () throws(VmnetError) -> OVSDBTransaction in
            let rows = try northbound.select([
                .select(table: "NB_Global", where: [], columns: ["external_ids"]),
                ClusterNetwork.readAll,
            ], database: OVSDBTransaction.northbound, doing: doing)
            let globalIDs = rows[0].first?.map("external_ids") ?? [:]
            var claims = ClaimCollector.claims(of: IPv4Address.self, host: snapshot, networks: [])
            for network in ClusterNetwork.networks(in: rows[1]) {
                claims.append(SubnetClaim(subnet: network.subnet, origin: "cluster network '\(network.name)'"))
            }
            let transit = try ClusterTransit.choose(stored: globalIDs[ClusterTransit.key], allocator: SubnetAllocator(claims: claims))
            chosen = transit
            // Stored already: an empty transaction that only confirms it is still there.
            guard globalIDs[ClusterTransit.key] == nil else { return OVSDBTransaction(OVSDBTransaction.northbound, [.comment("vmnet: transit \(transit.subnet)")]) }
            return OVSDBTransaction(OVSDBTransaction.northbound, [
                .wait(table: "NB_Global", where: [], columns: ["external_ids"], rows: [["external_ids": .map(globalIDs)]]),
                .mutate(table: "NB_Global", where: [], mutations: [.insert("external_ids", .map([ClusterTransit.key: transit.subnet.description]))]),
            ])
        }
        guard let chosen else { throw .failed("\(doing): no transit subnet was chosen") }
        return chosen
    }

    private func transitBridgePlanner(doing: String) throws(VmnetError) -> TransitBridgePlanner {
        TransitBridgePlanner(rows: try localSwitch.select(TransitBridgePlanner.reads, database: OVSDBTransaction.openVSwitch, doing: doing))
    }

    func addTransitBridge(_ transit: ClusterTransit, doing: String) throws(VmnetError) {
        let operations = try transitBridgePlanner(doing: doing).createOperations(transit: transit)
        _ = try localSwitch.transact(OVSDBTransaction(OVSDBTransaction.openVSwitch, operations), doing: doing)
    }

    func removeTransitBridge(doing: String) throws(VmnetError) {
        let operations = try transitBridgePlanner(doing: doing).removalOperations()
        _ = try localSwitch.transact(OVSDBTransaction(OVSDBTransaction.openVSwitch, operations), doing: doing)
    }

    /// ovs-vswitchd makes the internal port's kernel interface shortly after the database
    /// change; measured ~0.1–0.3 s on the userspace datapath.
    static let transitInterfaceWaitMilliseconds = 5_000

    /// The kernel's end: the gateway address on `vmnet-transit`, link up, IPv4 forwarding, and
    /// the nft table (with the forwards NB's Load_Balancers ask for).
    func applyTransitKernelSide(_ transit: ClusterTransit, forwards: [ClusterGatewayRuleset.Forward], doing: String) throws(VmnetError) {
        var waited = 0
        while try !collaborators.host.interfaces().interfaces.contains(OVNNames.transitInterface) {
            guard waited < ClusterController.transitInterfaceWaitMilliseconds else {
                throw .failed("\(doing): Open vSwitch made no interface \(OVNNames.transitInterface) within \(waited / 1000) s: is ovs-vswitchd running on this host?")
            }
            usleep(20_000)
            waited += 20
        }
        try collaborators.links.apply([
            .replaceAddress(name: OVNNames.transitInterface, address: transit.gatewayAddress, prefixLength: transit.subnet.prefixLength),
            .setUp(name: OVNNames.transitInterface),
        ])
        try collaborators.forwarding.enable()
        let ruleset = ClusterGatewayRuleset(transit: transit, forwards: forwards)
        _ = try runner.check(["nft", "-f", "-"], input: ruleset.replacement, doing: doing)
    }

    func removeGatewayTable() {
        _ = try? runner.run(["nft", "-f", "-"], input: ClusterGatewayRuleset.removal)
    }
}
