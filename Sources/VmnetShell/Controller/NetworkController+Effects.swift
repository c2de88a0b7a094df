import VmnetCore

/// The ordered effects behind up and down, each with its undo.
extension NetworkController {
    /// Brings `targets` up in a fixed order — records, bridges, forwarding, then dnsmasq and
    /// the firewall together (vmnet's rules, then its accepts in the host's other firewalls),
    /// then the host resolver — and undoes every step if a later one fails.
    func bringUp(_ targets: [NetworkRecord], host given: HostSnapshot? = nil, fixAcceptRA: Bool = false) throws(VmnetError) {
        let revert = Revert()
        do { try bringUp(targets, host: given, fixAcceptRA: fixAcceptRA, revert: revert) } catch { throw revert.fail(error) }
        revert.success()
    }

    private func bringUp(_ targets: [NetworkRecord], host given: HostSnapshot?, fixAcceptRA: Bool, revert: Revert) throws(VmnetError) {
        guard !targets.isEmpty else { return }
        try requireTools(for: targets)
        let host: HostSnapshot
        if let given { host = given } else { host = try probe.snapshot() }
        let before = try store.loadAll()
        var claimed = host
        // `up` reads no routes for its links; the main table comes from /proc, spawning nothing.
        if claimed.routes.isEmpty { claimed.routes = ProcNetRoute.routes(FileSystem.readIfPresent("/proc/net/route") ?? "") }
        if claimed.routes6.isEmpty { claimed.routes6 = ProcNetRoute.routes6(FileSystem.readIfPresent("/proc/net/ipv6_route") ?? "") }
        let conflicts = SubnetCollision.conflicts(for: targets, host: claimed, networks: before)
        let conflicts6 = SubnetCollision.conflicts6(for: targets, host: claimed, networks: before)
        for record in targets {
            if let collision = SubnetCollision.describe(record, conflicts[record.name] ?? [], conflicts6[record.name] ?? []) {
                throw SubnetCollision.error(for: record, collision: collision)
            }
        }
        try requireIPv6(for: targets, existing: host.interfaces, creating: false)
        let ipv6 = try acceptRAGuard(for: targets, fix: fixAcceptRA)
        var wanted: [NetworkRecord] = []
        for var record in targets {
            let previous = before.first { $0.name == record.name }
            record.enabled = true
            if previous != record {
                revert.add("restoring the record of '\(record.name)'") { () throws(VmnetError) in if let previous { try store.save(previous) } }
                try store.save(record)
            }
            wanted.append(record)
        }
        FaultInjection.reach(.upRecorded)

        // Registered before the batch, which may stop halfway: whatever of it was made goes.
        let made = Set(wanted.flatMap { [$0.bridge, BridgeNamer.keeperPort(for: $0.bridge).port] }).subtracting(host.interfaces)
        revert.add("deleting \(made.sorted().joined(separator: ", "))") { () throws(VmnetError) in
            try links.apply(LinkPlanner.tearDown(wanted, present: made.intersection(try self.host.interfaces().interfaces)))
        }
        try links.apply(LinkPlanner.bringUp(wanted, host: host))
        for record in wanted { try links.fillChecksums(on: record.bridge) }
        FaultInjection.reach(.upLinked)
        reattachGuests(wanted)

        // Never turned off again, not even on failure: see IPForwarding.
        if wanted.contains(where: { $0.mode == .nat }) { try forwarding.enable() }
        try enableIPv6Forwarding(ipv6)

        // What is on disk now: `before` with the targets' new records (read once, not again).
        let recorded = before.filter { record in !wanted.contains { $0.name == record.name } } + wanted
        let gateways = Set(recorded.map(\.gateway))
        var toStart: [(network: NetworkRecord, files: DnsmasqFiles)] = []
        var peersMoved = false
        let peers = DnsmasqPeers(recorded)
        for record in wanted {
            let files = paths.dnsmasqFiles(of: record.name)
            let upstream = DnsmasqConfig.upstreamServers(for: record, host: host, vmnetGateways: gateways)
            let config = DnsmasqConfig.render(record, files: files, upstream: upstream)
            let listsChanged = try hosts.writeHostLists(for: record, reservations: try hosts.load(record.name))
            let peersChanged = try dnsmasq.writePeers(peers.file(for: record), files: files)
            peersMoved = peersMoved || peersChanged
            let bridgeIsNew = !host.interfaces.contains(record.bridge)
            if try dnsmasq.prepare(record, files: files, config: config, bridgeIsNew: bridgeIsNew) {
                toStart.append((record, files))
            } else if listsChanged || peersChanged {
                _ = dnsmasq.reload(files)
            }
        }
        FaultInjection.reach(.upConfigured)
        // Records never change after create: the others' lists change only with a new network.
        if peersMoved { try refreshPeers(recorded, except: wanted) }
        // dnsmasq needs only the bridge: it starts while the firewall is applied.
        revert.add("stopping dnsmasq") { dnsmasq.stop(toStart.map(\.files)) }
        let starting = try dnsmasq.launch(toStart)
        FaultInjection.reach(.upLaunched)
        let chainListing = foreignFirewalls.startListingChains()
        do {
            try applyFirewalls(recorded, previous: before, touched: wanted)
        } catch {
            _ = chainListing?.results()
            _ = starting.results()
            throw error
        }
        revert.add("restoring the firewall rules") { () throws(VmnetError) in try applyFirewalls(before, previous: recorded) }
        FaultInjection.reach(.upFirewalled)
        for warning in try foreignFirewalls.reconcile(enabled: recorded.filter(\.enabled), recorded: recorded, leaving: [], listing: chainListing) {
            warnings.add(warning)
        }
        revert.add("restoring the host firewalls' accepts") { () throws(VmnetError) in
            let added = wanted.filter { record in !before.contains { $0.name == record.name && $0.enabled } }
            _ = try foreignFirewalls.reconcile(enabled: before.filter(\.enabled), recorded: before, leaving: added)
        }
        try dnsmasq.confirm(toStart, starting)
        // Last, and never failing: the network works without the host resolving its names.
        for record in wanted { resolved.register(record) }
    }

    /// Takes `targets` down: dnsmasq, then rules, then bridges. Records stay, marked down,
    /// unless `forgetting` (destroy), which also removes the firewall table with the last network.
    func bringDown(_ targets: [NetworkRecord], forgetting: Bool = false) throws(VmnetError) {
        guard !targets.isEmpty else { return }
        let before = try store.loadAll()
        // Marked down before anything stops, even on a full disk; destroy writes nothing, it
        // deletes the record at the end.
        if !forgetting {
            for var record in targets where record.enabled {
                record.enabled = false
                try store.saveDown(record)
            }
        }
        FaultInjection.reach(.downMarked)
        let remaining = before.map { record in
            var down = record
            if targets.contains(where: { $0.name == record.name }) { down.enabled = false }
            return down
        }
        for record in targets { resolved.unregister(record) }
        // Waited for last: the instances exit while the rules and links go.
        let stopping = dnsmasq.beginStop(targets.map { paths.dnsmasqFiles(of: $0.name) })
        defer { dnsmasq.awaitStop(stopping) }
        FaultInjection.reach(.downStopped)
        // Rules are rewritten even when the records were already down, to clear leftovers. For
        // those, deleting elements that are not there fails the quick update, and the backend
        // rebuilds its table instead: slower, same result.
        let survivors = remaining.filter { record in !forgetting || !targets.contains { $0.name == record.name } }
        try applyFirewalls(remaining, previous: before + targets.map { var up = $0; up.enabled = true; return up }, keepTables: !survivors.isEmpty)
        FaultInjection.reach(.downFirewalled)
        _ = try foreignFirewalls.reconcile(enabled: remaining.filter(\.enabled), recorded: survivors, leaving: targets)
        try links.apply(LinkPlanner.tearDown(targets, present: try host.interfaces().interfaces))
        FaultInjection.reach(.downUnlinked)
    }

    /// Tells the other running networks' dnsmasq about networks that came or went.
    func refreshPeers(_ recorded: [NetworkRecord], except skipped: [NetworkRecord]) throws(VmnetError) {
        let peers = DnsmasqPeers(recorded)
        let skipped = Set(skipped.map(\.name))
        var changed: [DnsmasqFiles] = []
        for record in recorded where record.enabled && !skipped.contains(record.name) {
            let files = paths.dnsmasqFiles(of: record.name)
            if try dnsmasq.writePeers(peers.file(for: record), files: files) { changed.append(files) }
        }
        for files in changed { _ = dnsmasq.reload(files) }
    }

    /// Rewrites each firewall mechanism's rules for the enabled networks that use it. A
    /// mechanism none of the networks used before or uses now is left alone: touching
    /// iptables on every nftables-only command cost a dozen processes.
    /// `previousForwards`: what the rules forward now, when it differs from the records' forwards.
    func applyFirewalls(_ records: [NetworkRecord], previous: [NetworkRecord], touched: [NetworkRecord] = [], keepTables: Bool = true,
                        previousForwards: [ResolvedForward]? = nil) throws(VmnetError) {
        let enabled = records.filter(\.enabled)
        let bridges = enabled.map(\.bridge)
        let previouslyEnabled = previous.filter(\.enabled)
        // A forwards.json that cannot be read loses its network's forwards, not every network's `up`.
        let wantedForwards = try forwards.resolved(enabled, skippingDamaged: { warnings.add("\($0.message): its forwards are off") })
        let heldForwards: [ResolvedForward]
        if let previousForwards {
            heldForwards = previousForwards
        } else {
            // A network enabled before and now with the same record resolves to the same
            // forwards: read the files (forwards, hosts, containers) once per network, not twice.
            let unchanged = previouslyEnabled.filter { enabled.contains($0) }
            let kept = Set(unchanged.map(\.bridge))
            heldForwards = wantedForwards.filter { kept.contains($0.bridge) }
                + (try forwards.resolved(previouslyEnabled.filter { !enabled.contains($0) }, skippingDamaged: { _ in }))
        }
        for kind in FirewallKind.allCases {
            guard let backend = firewalls[kind] else { continue }
            let mine = enabled.filter { $0.firewall == kind }
            let before = previouslyEnabled.filter { $0.firewall == kind }
            // Tables are kept while networks of their kind are recorded, even when all are down.
            let installed = previous.contains { $0.firewall == kind }
            if mine.isEmpty && before.isEmpty && (keepTables || !installed) { continue }
            if mine.isEmpty && !backend.isAvailable { continue }
            try backend.apply(
                mine, allBridges: bridges, previous: installed ? (before, previouslyEnabled.map(\.bridge)) : nil,
                touched: touched.filter { $0.firewall == kind }, keepTable: keepTables,
                forwards: wantedForwards, previousForwards: heldForwards)
        }
    }
}
