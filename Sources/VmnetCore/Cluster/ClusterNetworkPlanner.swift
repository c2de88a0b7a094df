/// Decides a cluster network (its subnet free across the cluster) and the northbound
/// transactions that create and destroy it. Pure: the shell reads NB and the host, and sends
/// what this returns.
public enum ClusterNetworkPlanner {
    /// What allocation reads of every logical switch, whoever made it.
    public static let readSwitches = OVSDBOperation.select(table: "Logical_Switch", where: [], columns: ["name", "other_config", "external_ids"])
    /// The members' published claims.
    public static let readGlobal = OVSDBOperation.select(table: "NB_Global", where: [], columns: ["external_ids"])
    /// What the create's `wait` holds unchanged: another host's new switch (any subnet, any
    /// name) changes these and makes our transaction fail, untouched, so we read again.
    public static let waitColumns = ["name", "other_config"]

    /// The named uuids of create's rows, for parts that add to the same transaction.
    public enum RowName {
        public static let logicalSwitch = "ls"
        public static let router = "lr"
        public static let routerPort = "lrp"
        public static let switchRouterPort = "lsp_router"
        public static let dhcp4 = "dhcp4"
        public static let dhcp6 = "dhcp6"
        public static let dns = "dns"
    }

    /// The root tables a network's rows live in; destroy deletes its marked rows from each
    /// (ports, NAT, routes and gateway rows go with their switch or router).
    public static let rootTables = ["Logical_Switch", "Logical_Router", "DHCP_Options", "DNS", "Load_Balancer"]

    /// Every subnet a logical switch in NB holds: OVN's own `other_config:subnet`/`ipv6_prefix`
    /// and vmnet's record, whoever made the switch.
    public static func switchClaims(_ switches: [OVSDBRow]) -> (v4: [SubnetClaim<IPv4Address>], v6: [SubnetClaim<IPv6Address>]) {
        var v4: [SubnetClaim<IPv4Address>] = [], v6: [SubnetClaim<IPv6Address>] = []
        for row in switches {
            let origin = "logical switch \(row.string("name") ?? "?") in the OVN northbound database"
            let config = row.map("other_config"), ids = row.map("external_ids")
            for text in [config["subnet"], ids[ClusterNetwork.Key.subnet]].compactMap({ $0 }) {
                if let subnet = IPv4Subnet(text) ?? IPv4Subnet.lenient(text) { v4.append(SubnetClaim(subnet: subnet, origin: origin)) }
            }
            if let text = config["ipv6_prefix"] {
                let subnet = IPv6Subnet(text) ?? IPv6Address(text).map { IPv6Subnet(containing: $0, prefixLength: AddressPlan6.prefixLength) }
                if let subnet { v6.append(SubnetClaim(subnet: subnet, origin: origin)) }
            }
            if let subnet = ids[ClusterNetwork.Key.subnet6].flatMap({ IPv6Subnet($0) }) { v6.append(SubnetClaim(subnet: subnet, origin: origin)) }
        }
        return (v4, v6)
    }

    /// The network `request` asks for: a subnet (and /64) free in NB, on this host and on its
    /// gateway hosts (`published`), the profile's plan, mode and lease time.
    public static func network(
        for request: ClusterCreateRequest, profile: Profile, switches: [OVSDBRow], published: [SubnetClaim<IPv4Address>],
        host: HostSnapshot, localNetworks: [NetworkRecord], uniqueLocal: UniqueLocalPrefix?, underlayMTU: Int,
        dnsServers: [IPv4Address], gateways: [String], created: String
    ) throws(VmnetError) -> ClusterNetwork {
        if let wanted = request.subnet, !(Profile.minimumPrefixLength...Profile.maximumPrefixLength).contains(wanted.prefixLength) {
            throw .invalid("subnet \(wanted): use a prefix length from /\(Profile.minimumPrefixLength) to /\(Profile.maximumPrefixLength)")
        }
        var local = CreateRequest(name: request.name, profile: profile.name, subnet: request.subnet)
        local.allowPublic = request.allowPublic
        local.noIPv6 = request.noIPv6
        let inCluster = switchClaims(switches)
        let subnet = try NetworkPlanner.choose(
            request.subnet, option: "subnet", pools: profile.pools, prefixLength: profile.prefixLength, request: local, profile: profile,
            host: host, existing: localNetworks, claimed: inCluster.v4 + published)
        let offsets = subnet.prefixLength == profile.prefixLength ? profile.planOffsets : .proportional(prefixLength: subnet.prefixLength)
        let subnet6 = try NetworkPlanner.subnet6(
            for: local, profile: profile, host: host, existing: localNetworks, uniqueLocal: uniqueLocal, claimed: inCluster.v6)
        let mtu = underlayMTU - ClusterNetwork.geneveOverhead
        guard Profile.mtuRange.contains(mtu) else {
            throw .failed("creating cluster network '\(request.name)': the underlay MTU \(underlayMTU) leaves \(mtu) for guests after geneve's \(ClusterNetwork.geneveOverhead) bytes: raise the MTU of the interface holding the encap IP")
        }
        let router = AddressPlan(subnet: subnet, offsets: offsets).gateway
        return ClusterNetwork(
            name: request.name, profile: profile.name, mode: profile.mode, subnet: subnet, subnet6: subnet6, planOffsets: offsets, mtu: mtu,
            leaseTime: profile.leaseTime, dnsServers: dnsServers.isEmpty ? [router] : dnsServers,
            gateways: profile.mode == .nat ? gateways : [], created: created)
    }

    /// The DNS servers DHCP hands out: the profile's, or the host's upstreams as local
    /// networks forward to (systemd-resolved's when its stub answers), loopbacks left out as
    /// guests cannot reach them. Empty (host-only, or none usable): the router's address,
    /// where OVN answers the project's names and nothing else.
    public static func dnsServers(mode: NetworkMode, upstream: DNSUpstream, nameservers: [IPv4Address], resolvedUpstreams: [IPv4Address],
                                  resolvedStubListening: Bool) -> [IPv4Address] {
        guard mode == .nat else { return [] }
        let candidates: [IPv4Address]
        switch upstream {
        case .servers(let servers): candidates = servers
        case .auto: candidates = resolvedStubListening ? resolvedUpstreams : nameservers
        }
        var seen: Set<IPv4Address> = []
        return candidates.filter { $0.value >> 24 != 127 && seen.insert($0).inserted }
    }

    /// Why a repeated create disagrees with the network NB already holds, or nil when it may
    /// simply report "exists".
    public static func mismatch(_ request: ClusterCreateRequest, existing network: ClusterNetwork) -> String? {
        var differences: [String] = []
        if let profile = request.profile, profile != network.profile { differences.append("profile \(network.profile)") }
        if let subnet = request.subnet, subnet != network.subnet { differences.append("subnet \(network.subnet)") }
        if request.noIPv6, let subnet6 = network.subnet6 { differences.append("subnet6 \(subnet6)") }
        if let gateways = request.gateways, gateways != network.gateways {
            differences.append("gateways \(network.gateways.isEmpty ? "none" : network.gateways.joined(separator: ","))")
        }
        guard !differences.isEmpty else { return nil }
        return "cluster network '\(network.name)' already exists with \(differences.joined(separator: ", ")): 'vmnet destroy \(network.name)' first to change it"
    }

    /// Create's transaction: first a `wait` that what allocation read of the switches is
    /// still so, then every row of the network, this host's published claims, and `extra`
    /// (the gateway part's way out).
    public static func createTransaction(
        _ network: ClusterNetwork, readSwitches switches: [OVSDBRow], publishing: (chassis: String, claims: String)?, extra: [OVSDBOperation] = []
    ) -> OVSDBTransaction {
        let name = network.name
        let marks = OVSDBDatum.map(OVNOwnership.marks(network: name.value))
        let plan = network.plan
        let routerMAC = OVNNames.routerMAC(name).description
        let seen = switches.map { row in row.columns.filter { waitColumns.contains($0.key) } }
        var operations: [OVSDBOperation] = [
            .wait(table: "Logical_Switch", where: [], columns: waitColumns, rows: seen),
            .comment("vmnet create \(name) --cluster"),
        ]

        var switchConfig = ["subnet": network.subnet.description, "exclude_ips": excludedAddresses(plan)]
        var routerNetworks = ["\(plan.gateway)/\(network.subnet.prefixLength)"]
        var routerPort: [String: OVSDBDatum] = ["name": .string(OVNNames.routerPort(name)), "mac": .string(routerMAC), "external_ids": marks]
        if let plan6 = network.plan6 {
            switchConfig["ipv6_prefix"] = plan6.subnet.network.description
            routerNetworks.append("\(plan6.gateway)/\(AddressPlan6.prefixLength)")
            routerPort["ipv6_ra_configs"] = .map(["address_mode": "dhcpv6_stateful", "send_periodic": "true", "mtu": String(network.mtu)])
        }
        routerPort["networks"] = .strings(routerNetworks)

        operations += [
            .insert(table: "DNS", row: ["records": .map([:]), "external_ids": marks], uuidName: RowName.dns),
            .insert(table: "Logical_Router_Port", row: routerPort, uuidName: RowName.routerPort),
            .insert(table: "Logical_Router", row: [
                "name": .string(OVNNames.router(name)), "ports": .set([.namedUUID(RowName.routerPort)]), "external_ids": marks,
            ], uuidName: RowName.router),
            .insert(table: "Logical_Switch_Port", row: [
                "name": .string(OVNNames.switchRouterPort(name)), "type": .string("router"), "addresses": .strings(["router"]),
                "options": .map(["router-port": OVNNames.routerPort(name)]), "external_ids": marks,
            ], uuidName: RowName.switchRouterPort),
            .insert(table: "Logical_Switch", row: [
                "name": .string(OVNNames.logicalSwitch(name)), "ports": .set([.namedUUID(RowName.switchRouterPort)]),
                "other_config": .map(switchConfig), "dns_records": .set([.namedUUID(RowName.dns)]), "external_ids": .map(network.externalIDs),
            ], uuidName: RowName.logicalSwitch),
            .insert(table: "DHCP_Options", row: [
                "cidr": .string(network.subnet.description), "options": .map(dhcp4Options(network)), "external_ids": marks,
            ], uuidName: RowName.dhcp4),
        ]
        if let plan6 = network.plan6 {
            operations.append(.insert(table: "DHCP_Options", row: [
                "cidr": .string(plan6.subnet.description),
                "options": .map(["server_id": routerMAC, "dns_server": "{\(plan6.gateway)}"]), "external_ids": marks,
            ], uuidName: RowName.dhcp6))
        }
        if let publishing { operations.append(PublishedClaims.publish(publishing.claims, chassis: publishing.chassis)) }
        return OVSDBTransaction(OVSDBTransaction.northbound, operations + extra)
    }

    /// Destroy's transaction: `extra` (the gateway part's removals) first, then every root row
    /// marked as the network's.
    public static func destroyTransaction(_ name: NetworkName, extra: [OVSDBOperation] = []) -> OVSDBTransaction {
        let owned = OVNOwnership.belongs(to: name.value)
        return OVSDBTransaction(OVSDBTransaction.northbound, [.comment("vmnet destroy \(name)")] + extra
            + rootTables.map { OVSDBOperation.delete(table: $0, where: owned) })
    }

    /// OVN's DHCPv4 options: strings quoted and lists in braces, as northd splices them into
    /// `put_dhcp_opts` actions.
    static func dhcp4Options(_ network: ClusterNetwork) -> [String: String] {
        var options = [
            "server_id": network.gateway.description, "server_mac": OVNNames.routerMAC(network.name).description,
            "lease_time": String(leaseSeconds(network.leaseTime)), "mtu": String(network.mtu),
            "dns_server": "{\(network.dnsServers.map(\.description).joined(separator: ", "))}",
            "domain_name": "\"\(network.domain)\"",
        ]
        // A local host-only network hands out no router either: guests keep their own default.
        if network.mode == .nat { options["router"] = network.gateway.description }
        return options
    }

    /// Everything of the subnet but the DHCP range, so OVN's own address management (ports
    /// with "dynamic" addresses) stays where dnsmasq would lease.
    static func excludedAddresses(_ plan: AddressPlan) -> String {
        let first = plan.subnet.first.advanced(by: 1), last = plan.subnet.last.advanced(by: -1)
        func span(_ low: IPv4Address, _ high: IPv4Address) -> String? {
            guard low <= high else { return nil }
            return low == high ? low.description : "\(low)..\(high)"
        }
        return [span(first, plan.dhcp.start.advanced(by: -1)), span(plan.dhcp.end.advanced(by: 1), last)].compactMap { $0 }.joined(separator: " ")
    }

    /// A profile's lease time ("1h", "90m", "infinite") in seconds, as OVN takes it.
    public static func leaseSeconds(_ leaseTime: String) -> Int {
        if leaseTime == "infinite" { return Int(UInt32.max) }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let last = leaseTime.last, let unit = units[last] { return (Int(leaseTime.dropLast()) ?? 3600) * unit }
        return Int(leaseTime) ?? 3600
    }
}
