import VmnetCore

/// `up`'s effects in their order, each step registering its undo on the line after its effect
/// (before it, for an effect that may half-succeed).
extension NetworkController {
    /// Brings `targets` up in a fixed order — records, bridges, forwarding, then dnsmasq and
    /// the firewall together (vmnet's rules, then its accepts in the host's other firewalls),
    /// then the host resolver — and undoes every step if a later one fails.
    func bringUp(_ targets: [NetworkRecord], host given: HostSnapshot? = nil, fixAcceptRA: Bool = false) throws(VmnetError) {
        guard !targets.isEmpty else { return }
        try Revert.run { (revert) throws(VmnetError) in
            let plan = try planBringUp(targets, host: given, fixAcceptRA: fixAcceptRA)
            let wanted = try recordEnabled(targets, before: plan.before, revert: revert)
            FaultInjection.reach(.upRecorded)
            // Before the first link: NetworkManager must never take one of them as its own.
            networkManager.update(for: plan.before.filter { record in !wanted.contains { $0.name == record.name } } + wanted)
            try createLinks(wanted, host: plan.host, revert: revert)
            FaultInjection.reach(.upLinked)
            reattachGuests(wanted)
            try enableForwarding(wanted, ipv6: plan.ipv6)
            // What is on disk now: `before` with the targets' new records (read once, not again).
            let recorded = plan.before.filter { record in !wanted.contains { $0.name == record.name } } + wanted
            let (toStart, peersMoved) = try configureDnsmasq(wanted, recorded: recorded, host: plan.host)
            FaultInjection.reach(.upConfigured)
            // Records never change after create: the others' lists change only with a new network.
            if peersMoved { try refreshPeers(recorded, except: wanted) }
            let starting = try startDnsmasq(toStart, revert: revert)
            FaultInjection.reach(.upLaunched)
            let chainListing = foreignFirewalls.startListingChains()
            try installFirewallRules(recorded, before: plan.before, touched: wanted, waitingFor: [chainListing, starting], revert: revert)
            FaultInjection.reach(.upFirewalled)
            try acceptInForeignFirewalls(wanted, recorded: recorded, before: plan.before, listing: chainListing, revert: revert)
            try dnsmasq.confirm(toStart, starting)
            registerResolver(wanted)
        }
    }

    /// Everything `up` checks before its first effect: tools, subnet collisions, IPv6.
    private func planBringUp(_ targets: [NetworkRecord], host given: HostSnapshot?, fixAcceptRA: Bool) throws(VmnetError) -> BringUpPlan {
        try requireTools(for: targets)
        let host: HostSnapshot
        if let given { host = given } else { host = try probe.snapshot() }
        let before = try store.loadAll()
        var claimed = host
        // `up` reads no routes for its links; the main table comes from /proc, spawning nothing.
        if claimed.routes.isEmpty { claimed.routes = ProcNetRoute.routes(FileSystem.readIfPresent("/proc/net/route") ?? "") }
        if claimed.routes6.isEmpty { claimed.routes6 = ProcNetRoute.routes6(FileSystem.readIfPresent("/proc/net/ipv6_route") ?? "") }
        let conflicts = SubnetCollision.conflicts(of: IPv4Address.self, for: targets, host: claimed, networks: before)
        let conflicts6 = SubnetCollision.conflicts(of: IPv6Address.self, for: targets, host: claimed, networks: before)
        for record in targets {
            if let collision = SubnetCollision.describe(record, conflicts[record.name] ?? [], conflicts6[record.name] ?? []) {
                throw SubnetCollision.error(for: record, collision: collision)
            }
        }
        try requireIPv6(for: targets, existing: host.interfaces, creating: false)
        return BringUpPlan(host: host, before: before, ipv6: try acceptRAGuard(for: targets, fix: fixAcceptRA))
    }

    /// Saves each target's record as enabled (unless it already is) and returns them.
    private func recordEnabled(_ targets: [NetworkRecord], before: [NetworkRecord], revert: Revert) throws(VmnetError) -> [NetworkRecord] {
        var wanted: [NetworkRecord] = []
        for var record in targets {
            let previous = before.first { $0.name == record.name }
            record.enabled = true
            if previous != record {
                // Only `enabled` flips here: not fsync'ed (see StateStore.save).
                revert.add("restoring the record of '\(record.name)'") { () throws(VmnetError) in if let previous { try store.save(previous, durable: false) } }
                try store.save(record, durable: false)
            }
            wanted.append(record)
        }
        return wanted
    }

    /// The bridges and keeper ports the host lacks, with checksum filling on each bridge.
    private func createLinks(_ wanted: [NetworkRecord], host: HostSnapshot, revert: Revert) throws(VmnetError) {
        // Registered before the batch, which may stop halfway: whatever of it was made goes.
        let made = Set(wanted.flatMap { [$0.bridge, BridgeNamer.keeperPort(for: $0.bridge).port] }).subtracting(host.interfaces)
        revert.add("deleting \(made.sorted().joined(separator: ", "))") { () throws(VmnetError) in
            try links.apply(LinkPlanner.tearDown(wanted, present: made.intersection(try self.host.interfaces().interfaces)))
        }
        try links.apply(LinkPlanner.bringUp(wanted, host: host))
        for record in wanted { try links.fillChecksums(on: record.bridge) }
        IPv6AddressKeeping(procRoot: ipv6Forwarding.procRoot).keep(on: wanted.filter(\.hasIPv6).map(\.bridge))
    }

    /// Never turned off again, not even on failure: see IPForwarding.
    private func enableForwarding(_ wanted: [NetworkRecord], ipv6: AcceptRAGuard) throws(VmnetError) {
        if wanted.contains(where: { $0.mode == .nat }) { try forwarding.enable() }
        try enableIPv6Forwarding(ipv6)
    }

    /// Writes each network's dnsmasq files; returns the networks whose dnsmasq must start, and
    /// whether the peers' file (the other networks' names) changed. A running dnsmasq whose
    /// lists changed is reloaded.
    private func configureDnsmasq(
        _ wanted: [NetworkRecord], recorded: [NetworkRecord], host: HostSnapshot
    ) throws(VmnetError) -> (toStart: [(network: NetworkRecord, files: DnsmasqFiles)], peersMoved: Bool) {
        let gateways = Set(recorded.map(\.gateway))
        var toStart: [(network: NetworkRecord, files: DnsmasqFiles)] = []
        var peersMoved = false
        let peers = DnsmasqPeers(recorded)
        for record in wanted {
            let files = paths.dnsmasqFiles(of: record.name)
            let upstream = DnsmasqConfig.upstreamServers(for: record, host: host, vmnetGateways: gateways)
            if let warning = DnsmasqConfig.missingUpstreamWarning(for: record, upstream: upstream) { warnings.add(warning) }
            let config = DnsmasqConfig.render(record, files: files, upstream: upstream)
            let listsChanged = try hosts.writeHostLists(for: record, reservations: try hosts.load(record.name))
            let peersChanged = try dnsmasq.writePeers(peers.file(for: record), files: files)
            let optionsChanged = try dnsmasq.writeOptions(DnsmasqGuestOptions.optionsFile(record), files: files)
            peersMoved = peersMoved || peersChanged
            let bridgeIsNew = !host.interfaces.contains(record.bridge)
            if try dnsmasq.prepare(record, files: files, config: config, bridgeIsNew: bridgeIsNew) {
                toStart.append((record, files))
            } else if listsChanged || peersChanged || optionsChanged {
                _ = dnsmasq.reload(files)
            }
        }
        return (toStart, peersMoved)
    }

    /// dnsmasq needs only the bridge: it starts while the firewall is applied.
    private func startDnsmasq(_ toStart: [(network: NetworkRecord, files: DnsmasqFiles)], revert: Revert) throws(VmnetError) -> RunningCommands {
        revert.add("stopping dnsmasq") { dnsmasq.stop(toStart.map(\.files)) }
        return try dnsmasq.launch(toStart)
    }

    /// vmnet's own rules for every recorded network. When they fail, the commands started
    /// meanwhile (`waitingFor`) are collected first.
    private func installFirewallRules(
        _ recorded: [NetworkRecord], before: [NetworkRecord], touched wanted: [NetworkRecord], waitingFor started: [RunningCommands?], revert: Revert
    ) throws(VmnetError) {
        do {
            try applyFirewalls(recorded, previous: before, touched: wanted)
        } catch {
            for commands in started { _ = commands?.results() }
            throw error
        }
        revert.add("restoring the firewall rules") { () throws(VmnetError) in try applyFirewalls(before, previous: recorded) }
    }

    /// vmnet's accepts in the host's other firewalls (Docker, ufw, firewalld).
    private func acceptInForeignFirewalls(
        _ wanted: [NetworkRecord], recorded: [NetworkRecord], before: [NetworkRecord], listing: RunningCommands?, revert: Revert
    ) throws(VmnetError) {
        for warning in try foreignFirewalls.reconcile(enabled: recorded.filter(\.enabled), recorded: recorded, leaving: [], listing: listing) {
            warnings.add(warning)
        }
        revert.add("restoring the host firewalls' accepts") { () throws(VmnetError) in
            let added = wanted.filter { record in !before.contains { $0.name == record.name && $0.enabled } }
            _ = try foreignFirewalls.reconcile(enabled: before.filter(\.enabled), recorded: before, leaving: added)
        }
    }

    /// Last, and never failing: the network works without the host resolving its names.
    private func registerResolver(_ wanted: [NetworkRecord]) {
        for record in wanted { resolved.register(record) }
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
}
