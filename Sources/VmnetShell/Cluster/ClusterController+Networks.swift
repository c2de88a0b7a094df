import VmnetCore

/// Cluster networks in the northbound database: create (one transaction, retried when
/// another host created a switch between our read and our write), destroy, and the reads
/// list/show/leases make. NB is their only record: nothing is stored on this host.
extension ClusterController {
    public enum CreateOutcome: Sendable { case created, existed }

    /// How often create reads NB again after another host's create beat it.
    static let createAttempts = 5

    public func create(_ request: ClusterCreateRequest) throws(VmnetError) -> (ClusterNetwork, CreateOutcome) {
        let doing = "creating cluster network '\(request.name)'"
        let chassis = try chassis(doing: doing)
        let store = StateStore(paths: paths)
        if store.entry(request.name) != nil {
            throw .conflict("\(doing): a local network of that name exists on this host: choose another name, or 'vmnet destroy \(request.name)' first")
        }
        let profile = try ProfileCatalog(paths: paths).load(request.profile ?? ClusterCreateRequest.defaultProfile).profile
        if profile.mode == .hostOnly, request.gateways != nil {
            throw .invalid("\(doing): --gateway: profile '\(profile.name)' is host-only and has no way out: leave out --gateway or use a NAT profile")
        }
        let northbound = try northbound(doing: doing)
        let host = try probe.snapshot(forAllocation: true)
        let localNetworks = try store.loadAll()
        let prefixStore = UniqueLocalStore(paths: paths)
        let uniqueLocal = !request.noIPv6 && profile.ipv6 == .ula ? try prefixStore.loadOrDraw() : nil
        let dnsServers = ClusterNetworkPlanner.dnsServers(
            mode: profile.mode, upstream: profile.dnsUpstream, nameservers: host.nameservers,
            resolvedUpstreams: ResolvConf.nameservers(in: collaborators.host.readIfPresent(ClusterController.resolvedUpstreamFile) ?? ""),
            resolvedStubListening: host.resolvedStubListening)
        let underlayMTU = underlayMTU(host, encapIP: config?.encapIP)
        let published = PublishedClaims.text(host: host, networks: localNetworks)

        for _ in 0..<ClusterController.createAttempts {
            let read = try northbound.select([ClusterNetworkPlanner.readSwitches, ClusterNetworkPlanner.readGlobal],
                                             database: OVSDBTransaction.northbound, doing: doing)
            let switches = read[0]
            if let existing = try existingNetwork(request.name, in: switches, doing: doing) {
                if let mismatch = ClusterNetworkPlanner.mismatch(request, existing: existing) { throw .conflict(mismatch) }
                return (existing, .existed)
            }
            let gateways = profile.mode == .nat ? try validateGateways(request.gateways ?? [chassis]) : []
            let claims = read[1].first?.map("external_ids") ?? [:]
            let gatewayClaims = gateways.filter { $0 != chassis }.flatMap { gateway in
                PublishedClaims.claims(claims[PublishedClaims.key(chassis: gateway)] ?? "", chassis: gateway)
            }
            let network = try ClusterNetworkPlanner.network(
                for: request, profile: profile, switches: switches, published: gatewayClaims, host: host, localNetworks: localNetworks,
                uniqueLocal: uniqueLocal?.prefix, underlayMTU: underlayMTU, dnsServers: dnsServers, gateways: gateways, created: Timestamp.now())
            // Kept even if the create fails later: it is the host's, like a machine ID.
            if let uniqueLocal, uniqueLocal.drawn, network.subnet6 != nil {
                // A member may never have made a local network: its state directory may not exist yet.
                try FileSystem.makeDirectories(paths.stateDirectory)
                try prefixStore.save(uniqueLocal.prefix)
            }
            let transaction = ClusterNetworkPlanner.createTransaction(
                network, readSwitches: switches, publishing: (chassis: chassis, claims: published),
                extra: try gatewayOperations(for: network, northbound: northbound))
            if try northbound.transact(transaction, doing: doing).lostRace { continue }
            do { try attach(network) } catch {
                _ = try? northbound.transact(ClusterNetworkPlanner.destroyTransaction(network.name), doing: "undoing \(doing)")
                throw error
            }
            return (network, .created)
        }
        throw .conflict("\(doing): other hosts kept creating networks in \(northbound.role) at \(northbound.address) (\(ClusterController.createAttempts) attempts): try again")
    }

    /// Deletes the network's rows in one transaction after taking this host's port off it;
    /// false when NB holds no such network.
    public func destroy(_ name: NetworkName) throws(VmnetError) -> Bool {
        let doing = "destroying cluster network '\(name)'"
        let northbound = try northbound(doing: doing)
        guard let network = try network(name, northbound: northbound, doing: doing) else { return false }
        try detach(network)
        // The removals wait on what they read (the external switch's ports: the last NAT network
        // takes the switch with it); another host changing those in between means read again.
        _ = try northbound.transactRetrying(doing: doing) { () throws(VmnetError) -> OVSDBTransaction in
            ClusterNetworkPlanner.destroyTransaction(name, extra: try gatewayRemovalOperations(for: network, northbound: northbound))
        }
        return true
    }

    /// `vmnet up NAME` on a cluster network: this member's port on it.
    public func up(_ name: NetworkName) throws(VmnetError) -> ClusterNetwork {
        let network = try requireClusterNetwork(name, doing: "bringing cluster network '\(name)' up on this host")
        try attach(network)
        return network
    }

    /// `vmnet up --all` (the unit, at boot): every cluster network this member was attached to
    /// gets its kernel side and OVS port back. The attachment's record is the member's port in
    /// NB (`vmnet-NAME-host-CHASSIS`), so nothing local can drift from it.
    public func reattachAll() throws(VmnetError) -> [ClusterNetwork] {
        let doing = "bringing this host's cluster attachments up"
        let chassis = try chassis(doing: doing)
        let rows = try northbound(doing: doing).select(
            [.select(table: "Logical_Switch_Port", where: OVNOwnership.owned, columns: ["name"])], database: OVSDBTransaction.northbound, doing: doing)[0]
        let ports = Set(rows.compactMap { $0.string("name") })
        try pruneStaleAttachments(memberPorts: ports, chassis: chassis, doing: doing)
        let attached = try networks().filter { ports.contains(OVNNames.memberPort($0.name, chassis: chassis)) }
        for network in attached { try attach(network) }
        return attached
    }

    /// This host's attachments to networks destroyed on another member (see `StaleAttachments`).
    func staleAttachments(memberPorts: Set<String>, chassis: String, doing: String) throws(VmnetError) -> StaleAttachments {
        let local = try localSwitch.select([StaleAttachments.readLocal], database: OVSDBTransaction.openVSwitch, doing: doing)[0]
        return StaleAttachments(localPorts: local, memberPorts: memberPorts, chassis: chassis)
    }

    /// Takes them off br-int (OVS removes the kernel device), unregisters their names, and drops
    /// the forward chain when no member port is left.
    func pruneStaleAttachments(memberPorts: Set<String>, chassis: String, doing: String) throws(VmnetError) {
        let stale = try staleAttachments(memberPorts: memberPorts, chassis: chassis, doing: doing).attachments
        guard !stale.isEmpty else { return }
        for attachment in stale {
            if resolved.isRunning, let name = try? NetworkName(attachment.network) {
                for command in MemberAttachmentPlanner.unregisterResolver(name) { _ = try? runner.run(command) }
            }
            _ = try localSwitch.transact(MemberAttachmentPlanner.unplugTransaction(portUUID: attachment.portUUID, on: try NetworkName(attachment.network)),
                                         doing: doing)
            warnings.add("removed \(attachment.interface): its network \(attachment.network) is no longer in the cluster (destroyed on another member)")
        }
        try dropForwardChainIfUnused(except: Set(stale.map(\.interface)), doing: doing)
    }

    /// `vmnet down NAME`: takes this member's port off; the network stays for the others.
    public func down(_ name: NetworkName) throws(VmnetError) -> ClusterNetwork {
        let network = try requireClusterNetwork(name, doing: "taking cluster network '\(name)' down on this host")
        try detach(network)
        return network
    }

    /// Every vmnet network in NB, by name.
    public func networks() throws(VmnetError) -> [ClusterNetwork] {
        let doing = "listing cluster networks"
        let rows = try northbound(doing: doing).select([ClusterNetwork.readAll], database: OVSDBTransaction.northbound, doing: doing)[0]
        return ClusterNetwork.networks(in: rows)
    }

    /// The network of that name in NB, nil when there is none.
    public func network(_ name: NetworkName) throws(VmnetError) -> ClusterNetwork? {
        let doing = "reading cluster network '\(name)'"
        return try network(name, northbound: try northbound(doing: doing), doing: doing)
    }

    /// The network's switch ports with their addresses, `up`, and the chassis the southbound
    /// database binds them to.
    public func ports(of network: ClusterNetwork) throws(VmnetError) -> [ClusterPort] {
        let doing = "reading the ports of cluster network '\(network.name)'"
        let north = try northbound(doing: doing).select([
            .select(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.logicalSwitch(network.name)))], columns: ["ports"]),
            .select(table: "Logical_Switch_Port", where: [], columns: ["_uuid", "name", "type", "addresses", "up"]),
        ], database: OVSDBTransaction.northbound, doing: doing)
        let members = Set(north[0].first?.strings("ports") ?? [])
        let switchPorts = north[1].filter { $0.uuid.map(members.contains) ?? false }
        let south = try southbound(doing: doing).select([
            .select(table: "Port_Binding", where: [], columns: ["logical_port", "chassis"]),
            .select(table: "Chassis", where: [], columns: ["_uuid", "name"]),
        ], database: OVSDBTransaction.southbound, doing: doing)
        var chassisNames: [String: String] = [:]
        for row in south[1] { if let uuid = row.uuid, let name = row.string("name") { chassisNames[uuid] = name } }
        var boundOn: [String: String] = [:]
        for row in south[0] {
            if let port = row.string("logical_port"), let chassis = row.string("chassis") { boundOn[port] = chassisNames[chassis] ?? chassis }
        }
        return switchPorts.compactMap { row in
            guard let name = row.string("name") else { return nil }
            return ClusterPort(name: name, type: row.string("type") ?? "", addresses: row.strings("addresses"), up: row.bool("up"),
                               chassis: boundOn[name])
        }.sorted { $0.name < $1.name }
    }

    /// systemd-resolved's list of the upstream servers its stub forwards to.
    static let resolvedUpstreamFile = "/run/systemd/resolve/resolv.conf"

    /// The MTU of the interface holding this chassis's encap IP: geneve packets leave
    /// through it. 1500 when it cannot be found.
    func underlayMTU(_ host: HostSnapshot, encapIP: String?) -> Int {
        guard let encapIP, let address = IPv4Address(encapIP),
              let interface = host.addresses.first(where: { $0.address == address })?.interface,
              let mtu = LinkMTU.of(interface) else { return 1500 }
        return mtu
    }

    /// The network of that name in NB; not found is one line naming it.
    func requireClusterNetwork(_ name: NetworkName, doing: String) throws(VmnetError) -> ClusterNetwork {
        guard let network = try network(name, northbound: try northbound(doing: doing), doing: doing) else {
            throw .notFound("\(doing): no network '\(name)' on this host or in the cluster: 'vmnet list' shows the networks")
        }
        return network
    }

    private func network(_ name: NetworkName, northbound: OVSDBClient, doing: String) throws(VmnetError) -> ClusterNetwork? {
        let rows = try northbound.select([
            .select(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.logicalSwitch(name)))], columns: ["name", "external_ids"]),
        ], database: OVSDBTransaction.northbound, doing: doing)[0]
        return try existingNetwork(name, in: rows, doing: doing)
    }

    /// The network's switch among `switches`; a switch of that name that vmnet did not make
    /// (or cannot read) is a conflict, never taken over.
    private func existingNetwork(_ name: NetworkName, in switches: [OVSDBRow], doing: String) throws(VmnetError) -> ClusterNetwork? {
        let switchName = OVNNames.logicalSwitch(name)
        guard let row = switches.first(where: { $0.string("name") == switchName }) else { return nil }
        guard let network = ClusterNetwork(externalIDs: row.map("external_ids")), network.name == name else {
            throw .conflict("\(doing): logical switch \(switchName) exists in the northbound database but is not a vmnet network: choose another name")
        }
        return network
    }
}
