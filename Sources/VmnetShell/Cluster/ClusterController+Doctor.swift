import VmnetCore

/// doctor's OVN checks: on the host (`ovn-nb`, `ovn-chassis`, `ovn-tunnels`, on a gateway `ovn-forwards`, `ovn-attachments`) and on each cluster
/// network (`ovn-ports`, `ovn-mtu`). A host that never joined gets none of them.
extension ClusterController {
    /// The host's OVN checks and those of the cluster networks named (every one when nil). A
    /// name that is no cluster network is not found.
    public func doctor(_ names: [NetworkName]?) throws(VmnetError) -> [DoctorFinding] {
        guard let config, let nbAddress = endpoints.northbound else {
            if let name = names?.first { throw .notFound("checking '\(name)': no such network: 'vmnet list' shows the networks") }
            return []
        }
        let doing = "checking the cluster"
        let northbound = OVSDBClient(runner: runner, address: nbAddress, role: "the OVN northbound database", ssl: config.ssl)
        let read: OVSDBReply
        do {
            read = try northbound.transact(OVSDBTransaction(OVSDBTransaction.northbound, ClusterController.bumpConfiguration + [
                ClusterNetwork.readAll,
                .select(table: "Logical_Switch_Port", where: OVNOwnership.owned, columns: ["name", "type", "up", "external_ids"]),
                .select(table: "DHCP_Options", where: OVNOwnership.owned, columns: ["cidr", "options", "external_ids"]),
            ]), doing: doing)
        } catch {
            let finding = OVNDiagnosis.northbound(address: nbAddress, failure: error.message)
            return names.map { $0.map { DoctorFinding(network: $0.value, check: finding.check, status: finding.status, detail: finding.detail, fix: finding.fix) } }
                ?? [finding]
        }
        var networks = ClusterNetwork.networks(in: read.rows(2))
        if let names {
            for name in names where !networks.contains(where: { $0.name == name }) {
                throw .notFound("checking '\(name)': no such network here or in the cluster at \(nbAddress): 'vmnet list' shows the networks")
            }
            networks = networks.filter { names.contains($0.name) }
        }
        var findings = [OVNDiagnosis.northbound(address: nbAddress, failure: nil)]
        let southboundAddress = endpoints.southbound ?? config.southbound
        let southbound = OVSDBClient(runner: runner, address: southboundAddress, role: "the OVN southbound database", ssl: config.ssl)
        var bindings: [String: String] = [:]
        do {
            let rows = try southbound.select([
                .select(table: "Chassis", where: [], columns: ["_uuid", "name", "encaps"]),
                .select(table: "Encap", where: [], columns: ["_uuid", "ip"]),
                ClusterController.boundBindingsSelect,
            ], database: OVSDBTransaction.southbound, doing: doing)
            let target = read.rows(1).first?.integer("nb_cfg") ?? 0
            let privates = try awaitConfiguration(target, chassis: config.chassis, southbound: southbound, doing: doing)
            let registered = rows[0].contains { $0.string("name") == config.chassis }
            findings.append(OVNDiagnosis.chassis(config.chassis, southbound: southboundAddress, registered: registered,
                                                 connected: !privates.isEmpty && ChassisStatus.allConnected(privates: privates, target: target)))
            findings.append(tunnelFinding(chassis: rows[0], encaps: rows[1], doing: doing))
            var chassisName: [String: String] = [:]
            for row in rows[0] { if let uuid = row.uuid, let name = row.string("name") { chassisName[uuid] = name } }
            for row in rows[2] {
                if let port = row.string("logical_port"), let uuid = row.strings("chassis").first { bindings[port] = chassisName[uuid] ?? uuid }
            }
        } catch {
            findings.append(DoctorFinding(network: nil, check: "ovn-chassis", status: .fail, detail: error.message,
                                          fix: "start the southbound database on the central host, or correct the address ('vmnet cluster leave' then join again)"))
        }
        if config.gateway { findings.append(forwardFinding(chassis: config.chassis, northbound: northbound, doing: doing)) }
        let memberPorts = Set(read.rows(3).compactMap { $0.string("name") })
        do {
            findings.append(try staleAttachments(memberPorts: memberPorts, chassis: config.chassis, doing: doing).finding)
        } catch {
            findings.append(DoctorFinding(network: nil, check: "ovn-attachments", status: .fail, detail: error.message,
                                          fix: "start Open vSwitch on this host (its database socket is \(endpoints.localSwitch))"))
        }
        let underlay = underlayInterface(holding: config.encapIP)
        for network in networks {
            let name = network.name.value
            // Router and localnet ports are OVN's own; only ports of guests, containers and members bind.
            let ports = read.rows(3).filter { $0.map("external_ids")[OVNOwnership.networkKey] == name && ($0.string("type") ?? "").isEmpty }
                .compactMap { row -> OVNDiagnosis.Port? in
                    guard let port = row.string("name") else { return nil }
                    return OVNDiagnosis.Port(name: port, up: row.bool("up") ?? false, chassis: bindings[port])
                }
            findings.append(OVNDiagnosis.ports(network: name, ports))
            let dhcp = read.rows(4).first { $0.map("external_ids")[OVNOwnership.networkKey] == name && !($0.string("cidr") ?? ":").contains(":") }
            findings.append(OVNDiagnosis.mtu(network: name, dhcpMTU: dhcp?.map("options")["mtu"].flatMap { Int($0) },
                                             underlayInterface: underlay?.name, underlayMTU: underlay?.mtu))
        }
        return findings
    }

    /// `ovn-forwards` from NB's forwards and this gateway's nft table.
    func forwardFinding(chassis: String, northbound: OVSDBClient, doing: String) -> DoctorFinding {
        do {
            let wanted = try gatewayForwards(chassis: chassis, northbound: northbound, doing: doing)
            let listing = try runner.run(["nft", "list", "table"] + ClusterGatewayRuleset.table.split(separator: " ").map(String.init))
            return OVNDiagnosis.forwards(wanted, listing: listing.succeeded ? listing.standardOutput : nil)
        } catch {
            return DoctorFinding(network: nil, check: "ovn-forwards", status: .fail, detail: error.message, fix: "run 'vmnet up' on this host")
        }
    }

    /// `ovn-tunnels` from the southbound chassis and this host's geneve interfaces.
    func tunnelFinding(chassis: [OVSDBRow], encaps: [OVSDBRow], doing: String) -> DoctorFinding {
        var others = ChassisStatus.encapAddresses(chassis: chassis, encaps: encaps)
        if let config { others[config.chassis] = nil }
        do {
            let interfaces = try localSwitch.select([.select(table: "Interface", where: [.equals("type", .string("geneve"))], columns: ["options"])],
                                                    database: OVSDBTransaction.openVSwitch, doing: doing)[0]
            return OVNDiagnosis.tunnels(others: others, remotes: Set(interfaces.compactMap { $0.map("options")["remote_ip"] }))
        } catch {
            return DoctorFinding(network: nil, check: "ovn-tunnels", status: .fail, detail: error.message,
                                 fix: "start Open vSwitch on this host ('systemctl start openvswitch-switch')")
        }
    }

    /// The interface holding this chassis's encap address, and its MTU: the underlay geneve
    /// travels on.
    func underlayInterface(holding address: String) -> (name: String, mtu: Int)? {
        guard let table = try? InterfaceTable.readBoth() else { return nil }
        let name = table.addresses.first { $0.address.description == address }?.interface
            ?? table.addresses6.first { $0.address.description == address }?.interface
        guard let name, let mtu = LinkMTU.of(name) else { return nil }
        return (name, mtu)
    }
}
