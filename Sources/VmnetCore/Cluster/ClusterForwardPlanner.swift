/// Decides forwards on cluster networks and the northbound transactions that add and remove
/// them. One Load_Balancer row per forward: add and remove insert or delete a whole row (no
/// shared `vips` map that two hosts could rewrite at once), `protocol` is a column of the row
/// (so a network's tcp and udp forwards need separate rows anyway), and each row carries its
/// own marks for `forward list` and `rm`. Pure: the shell reads (`reads`) and sends.
public enum ClusterForwardPlanner {
    /// Every Load_Balancer row vmnet owns: the cluster's forwards.
    public static let readForwards = OVSDBOperation.select(table: "Load_Balancer", where: OVNOwnership.owned, columns: ["_uuid", "name", "vips", "external_ids"])

    /// Every forward of the cluster (a gateway's PORT goes to one network only), the network's
    /// external router port (its transit address is the vip) and its DNS row (guests' names).
    public static func reads(_ network: NetworkName) -> [OVSDBOperation] {
        [
            readForwards,
            .select(table: "Logical_Router_Port", where: [.equals("name", .string(OVNNames.externalRouterPort(network)))], columns: ["networks"]),
            .select(table: "DNS", where: OVNOwnership.belongs(to: network.value), columns: ["records"]),
        ]
    }

    /// The cluster's forwards among the Load_Balancer rows read, by port.
    public static func forwards(_ balancers: [OVSDBRow]) -> [ClusterForward] {
        balancers.compactMap(ClusterForward.init(balancerRow:)).sorted { ($0.forward.port, $0.forward.proto.rawValue) < ($1.forward.port, $1.forward.proto.rawValue) }
    }

    /// The forward `forward` asks for on `network` and the transaction that adds it; a nil
    /// transaction when the same forward is there already.
    public static func add(_ forward: PortForward, on network: ClusterNetwork, rows: [[OVSDBRow]]) throws(VmnetError) -> (ClusterForward, OVSDBTransaction?) {
        let name = network.name
        let doing = "forwarding \(forward.hostSide) to \(forward.target) on cluster network '\(name)'"
        guard network.mode == .nat else {
            throw .invalid("\(doing): the network is host-only, it has no way in or out: forward on a NAT network")
        }
        guard forward.address == nil else {
            throw .invalid("\(doing): a cluster forward takes the port on every address of the network's gateways (\(network.gateways.joined(separator: ", "))): leave out the address")
        }
        guard forward.endPort == forward.port else {
            throw .invalid("\(doing): an OVN load balancer forwards single ports, not ranges: add one forward per port")
        }
        let existing = forwards(rows[0])
        guard let routerAddress = rows[1].first?.strings("networks").lazy.compactMap({ IPv4Address($0.split(separator: "/").first ?? "") }).first else {
            throw .failed("\(doing): NB has no router port \(OVNNames.externalRouterPort(name)) with a transit address: 'vmnet destroy \(name)' and create it again")
        }
        let targetIP = try targetAddress(forward.target, on: network, records: rows[2].first?.map("records") ?? [:], doing: doing)
        let planned = ClusterForward(network: name, forward: forward, routerAddress: routerAddress, targetIP: targetIP)
        if let same = existing.first(where: { $0.key == planned.key }) {
            if same.network == name, same.forward == forward, same.targetIP == targetIP { return (same, nil) }
            let on = same.network == name ? "" : " on cluster network '\(same.network)'"
            throw .conflict("\(doing): \(same.forward.hostSide) is forwarded already\(on) (to \(same.forward.target)): 'vmnet forward rm \(same.network) \(same.forward.hostSide)' first")
        }
        let transaction = OVSDBTransaction(OVSDBTransaction.northbound, [
            .comment("vmnet forward add \(name) \(forward.hostSide)"),
            // Another host's forward added in between changes the rows read: the transaction
            // fails untouched and the shell reads again (and then finds a taken port).
            .wait(table: "Load_Balancer", where: OVNOwnership.owned, columns: ["name"], rows: rows[0].map { ["name": $0["name"] ?? .string("")] }),
            .insert(table: "Load_Balancer", row: planned.row, uuidName: "forward"),
            .mutate(table: "Logical_Router", where: [.equals("name", .string(OVNNames.router(name)))],
                    mutations: [.insert("load_balancer", .set([.namedUUID("forward")]))]),
        ])
        return (planned, transaction)
    }

    /// The forwards `spec` (`PORT[/PROTO]`) names on `network` (of both protocols without
    /// /PROTO) and the transaction that removes them.
    public static func remove(_ spec: String, on network: NetworkName, rows balancers: [OVSDBRow]) throws(VmnetError) -> ([ClusterForward], OVSDBTransaction) {
        let parsed = try PortForward.parse(ports: spec)
        let anyProto = !spec.contains("/")
        let removed = forwards(balancers).filter {
            $0.network == network && $0.forward.port == parsed.port && parsed.address == nil && (anyProto || $0.forward.proto == parsed.proto)
        }
        guard !removed.isEmpty else {
            throw .notFound("removing the forward \(spec) of cluster network '\(network)': there is none: 'vmnet forward list \(network)' shows them")
        }
        let uuids = removed.compactMap(\.uuid)
        var operations: [OVSDBOperation] = [
            .comment("vmnet forward rm \(network) \(spec)"),
            .mutate(table: "Logical_Router", where: [.equals("name", .string(OVNNames.router(network)))],
                    mutations: [.delete("load_balancer", .set(uuids.map { .uuid($0) }))]),
        ]
        operations += uuids.map { .delete(table: "Load_Balancer", where: [.uuid($0)]) }
        return (removed, OVSDBTransaction(OVSDBTransaction.northbound, operations))
    }

    /// The address `target` names: a guest, member or container by its name in the network's
    /// DNS row, or a guest address of the subnet.
    static func targetAddress(_ target: String, on network: ClusterNetwork, records: [String: String], doing: String) throws(VmnetError) -> IPv4Address {
        if let record = records["\(target.lowercased()).\(network.domain)"],
           let address = record.split(separator: " ").lazy.compactMap({ IPv4Address(String($0)) }).first {
            return address
        }
        return try ForwardPlanner.guestAddress(target, subnet: network.subnet, gateway: network.gateway, doing: doing, unknown: .notFound(
            "\(doing): '\(target)' is no VM, member or container of the network: 'vmnet host add \(network.name) \(target)' adds it, or give an address"))
    }

    /// What a gateway host `chassis` DNATs: the forwards of every NAT network it is a gateway of.
    public static func gatewayForwards(_ balancers: [OVSDBRow], networks: [ClusterNetwork], chassis: String) -> [ClusterGatewayRuleset.Forward] {
        let served = Set(networks.filter { $0.mode == .nat && $0.gateways.contains(chassis) }.map(\.name))
        return forwards(balancers).filter { served.contains($0.network) }.map(\.gatewayForward)
    }
}
