import Glibc
import VmnetCore

/// Carries out the lifecycle commands: reads state and host, asks the pure core what to do,
/// performs it with rollback. Every command that changes anything holds the state lock.
public struct NetworkController: Sendable {
    public let paths: Paths
    public let runner: CommandRunner
    public let store: StateStore
    public let probe: HostProbe
    public let links: LinkManager
    public let firewalls: [FirewallKind: FirewallBackend]
    public let dnsmasq: DnsmasqSupervisor
    public let forwarding: IPForwarding
    public let runtimes: RuntimeInstaller
    public let hosts: HostStore
    public let resolved: ResolvedRegistrar
    public let containers: ContainerAddresses
    public let hostFirewalls: HostFirewalls
    /// What commands report without failing (see `Warnings`).
    public let warnings: Warnings

    public init(paths: Paths, environment: [String: String], runner: CommandRunner = SpawnRunner(), warnings: Warnings = Warnings()) {
        self.paths = paths
        self.runner = runner
        self.warnings = warnings
        store = StateStore(paths: paths)
        probe = HostProbe(runner: runner, environment: environment)
        links = NetlinkLinkManager()
        firewalls = [.nftables: NftablesFirewall(runner: runner), .iptables: IptablesFirewall(runner: runner)]
        dnsmasq = DnsmasqSupervisor(runner: runner)
        forwarding = IPForwarding()
        hostFirewalls = HostFirewalls(runner: runner)
        runtimes = RuntimeInstaller(paths: paths, environment: environment, runner: runner)
        hosts = HostStore(paths: paths)
        resolved = ResolvedRegistrar(runner: runner, environment: environment, warnings: warnings)
        containers = ContainerAddresses(environment: environment)
    }

    /// Takes the state lock and first finishes or undoes whatever a killed command left.
    public func lock() throws(VmnetError) -> StateLock {
        try requireRoot()
        let lock = StateLock(try FileLock(path: paths.lockFile), journal: IntentJournal(paths: paths))
        recover(lock.journal)
        return lock
    }

    // MARK: create / destroy

    public enum CreateOutcome: Sendable { case created, existed }

    public func create(_ request: CreateRequest, start: Bool) throws(VmnetError) -> (NetworkRecord, CreateOutcome) {
        let lock = try lock()
        defer { lock.release() }
        if let existing = try store.load(request.name) {
            if let mismatch = NetworkPlanner.mismatch(request, existing: existing) { throw .conflict(mismatch) }
            if start {
                try lock.record(.bringingUp(.up, networks: [existing.name], records: [existing]))
                try bringUp([existing])
            }
            return (try store.require(request.name), .existed)
        }
        let catalog = ProfileCatalog(paths: paths)
        let profile = try catalog.load(request.profile ?? ProfileCatalog.defaultProfile).profile
        let host = try probe.snapshot(forAllocation: true)
        let records = try store.loadAll()
        var record = try NetworkPlanner.record(
            for: request, profile: profile, host: host, existing: records, defaultFirewall: try defaultFirewall(), created: Timestamp.now())
        if let firewall = firewalls[record.firewall], !firewall.isAvailable {
            throw ExecutableLocator.missing(record.firewall == .nftables ? "nft" : "iptables")
        }
        try lock.record(.bringingUp(.create, networks: [record.name], records: [record]))
        let revert = Revert()
        // Before the save: a save that fails on a full disk leaves an empty directory.
        revert.add("removing the record of '\(record.name)'") { store.delete(record.name) }
        do {
            try store.save(record)
            FaultInjection.reach(.createRecorded)
            if start {
                record.enabled = true
                try bringUp([record], host: host)
            }
        } catch {
            throw revert.fail(error)
        }
        revert.success()
        return (record, .created)
    }

    /// Destroys the named networks that exist and returns their names; missing ones are
    /// skipped, so destroying twice succeeds.
    public func destroy(_ names: [NetworkName]) throws(VmnetError) -> [NetworkName] {
        let lock = try lock()
        defer { lock.release() }
        try lock.record(.takingDown(.destroy, networks: names, records: store.scan().records.filter { names.contains($0.name) }), required: false)
        return try destroyLocked(names)
    }

    /// `destroy` under the lock (also how a killed create or destroy is finished).
    func destroyLocked(_ names: [NetworkName]) throws(VmnetError) -> [NetworkName] {
        var records: [NetworkRecord] = []
        var broken: [BrokenNetwork] = []
        // Directories without a record (a create that failed or was killed) go as well.
        var leftovers: [NetworkName] = []
        for name in names {
            switch store.entry(name) {
            case .record(let record): records.append(record)
            case .broken(let damaged): broken.append(damaged)
            case nil:
                if FileSystem.exists(paths.stateDirectory(of: name)) || FileSystem.exists(paths.runDirectory(of: name)) { leftovers.append(name) }
            }
        }
        // A damaged runtimes.json refuses before anything is removed.
        for record in records { _ = try runtimes.installed(record.name) }
        for record in records { try runtimes.uninstall(record.name, bridge: record.bridge) }
        FaultInjection.reach(.destroyUninstalled)
        try bringDown(records, forgetting: true)
        FaultInjection.reach(.destroyDown)
        for name in records.map(\.name) + leftovers { store.delete(name) }
        FaultInjection.reach(.destroyDeleted)
        try BrokenNetworkCleaner(paths: paths, links: links, firewalls: firewalls, dnsmasq: dnsmasq, runtimes: runtimes, warnings: warnings)
            .remove(broken, others: try store.loadAll())
        try refreshPeers(try store.loadAll(), except: [])
        return records.map(\.name) + broken.map(\.name) + leftovers
    }

    // MARK: up / down

    public func up(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkRecord] {
        let lock = try lock()
        defer { lock.release() }
        let records = try select(names)
        // Best effort, like down: an up with nothing to write works on a full disk.
        try lock.record(.bringingUp(.up, networks: names, records: records), required: false)
        try bringUp(records)
        return records
    }

    /// Refuses, changing nothing, while guests are attached, unless `force`.
    public func down(_ names: [NetworkName]?, force: Bool = false) throws(VmnetError) -> [NetworkRecord] {
        let lock = try lock()
        defer { lock.release() }
        let records = try select(names)
        try rememberGuests(records, refusing: !force)
        try lock.record(.takingDown(.down, networks: names, records: records), required: false)
        try bringDown(records)
        return records
    }

    private func select(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkRecord] {
        guard let names else {
            let all = store.scan()
            for damaged in all.broken { warnings.add("skipping network '\(damaged.name)': \(StateStore.error(damaged).message)") }
            return all.records
        }
        return try names.map { (name) throws(VmnetError) in try store.require(name) }
    }

    /// Brings `targets` up in a fixed order — records, bridges, forwarding, then dnsmasq and
    /// the firewall together (vmnet's rules, then its accepts in the host's other firewalls),
    /// then the host resolver — and undoes every step if a later one fails.
    func bringUp(_ targets: [NetworkRecord], host given: HostSnapshot? = nil) throws(VmnetError) {
        let revert = Revert()
        do { try bringUp(targets, host: given, revert: revert) } catch { throw revert.fail(error) }
        revert.success()
    }

    private func bringUp(_ targets: [NetworkRecord], host given: HostSnapshot?, revert: Revert) throws(VmnetError) {
        guard !targets.isEmpty else { return }
        try requireTools(for: targets)
        let host: HostSnapshot
        if let given { host = given } else { host = try probe.snapshot() }
        let before = try store.loadAll()
        var claimed = host
        // `up` reads no routes for its links; the main table comes from /proc, spawning nothing.
        if claimed.routes.isEmpty { claimed.routes = ProcNetRoute.routes(FileSystem.readIfPresent("/proc/net/route") ?? "") }
        let conflicts = SubnetCollision.conflicts(for: targets, host: claimed, networks: before)
        if let record = targets.first(where: { conflicts[$0.name]?.isEmpty == false }) {
            throw SubnetCollision.error(for: record, conflicts: conflicts[record.name] ?? [])
        }
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
            try links.apply(LinkPlanner.tearDown(wanted, present: made.intersection(try InterfaceTable.read().interfaces)))
        }
        try links.apply(LinkPlanner.bringUp(wanted, host: host))
        for record in wanted { try links.fillChecksums(on: record.bridge) }
        FaultInjection.reach(.upLinked)
        reattachGuests(wanted)

        // Never turned off again, not even on failure: see IPForwarding.
        if wanted.contains(where: { $0.mode == .nat }) { try forwarding.enable() }

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
        do {
            try applyFirewalls(recorded, previous: before, touched: wanted)
        } catch {
            _ = starting.results()
            throw error
        }
        revert.add("restoring the firewall rules") { () throws(VmnetError) in try applyFirewalls(before, previous: recorded) }
        FaultInjection.reach(.upFirewalled)
        for warning in try hostFirewalls.reconcile(enabled: recorded.filter(\.enabled), recorded: recorded, leaving: []) {
            warnings.add(warning)
        }
        revert.add("restoring the host firewalls' accepts") { () throws(VmnetError) in
            let added = wanted.filter { record in !before.contains { $0.name == record.name && $0.enabled } }
            _ = try hostFirewalls.reconcile(enabled: before.filter(\.enabled), recorded: before, leaving: added)
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
        dnsmasq.stop(targets.map { paths.dnsmasqFiles(of: $0.name) })
        FaultInjection.reach(.downStopped)
        // Rules are rewritten even when the records were already down, to clear leftovers. For
        // those, deleting elements that are not there fails the quick update, and the backend
        // rebuilds its table instead: slower, same result.
        let survivors = remaining.filter { record in !forgetting || !targets.contains { $0.name == record.name } }
        try applyFirewalls(remaining, previous: before + targets.map { var up = $0; up.enabled = true; return up }, keepTables: !survivors.isEmpty)
        FaultInjection.reach(.downFirewalled)
        _ = try hostFirewalls.reconcile(enabled: remaining.filter(\.enabled), recorded: survivors, leaving: targets)
        try links.apply(LinkPlanner.tearDown(targets, present: try InterfaceTable.read().interfaces))
        FaultInjection.reach(.downUnlinked)
    }

    /// Tells the other running networks' dnsmasq about networks that came or went.
    private func refreshPeers(_ recorded: [NetworkRecord], except skipped: [NetworkRecord]) throws(VmnetError) {
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
        if let previousForwards { heldForwards = previousForwards } else { heldForwards = try forwards.resolved(previouslyEnabled, skippingDamaged: { _ in }) }
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

    // MARK: runtimes

    public func install(_ name: NetworkName, kinds: [RuntimeKind]) throws(VmnetError) -> [String] {
        let lock = try lock()
        defer { lock.release() }
        let record = try store.require(name)
        try lock.record(Intent(.install, networks: [name], effects: kinds.map { "install the \($0.rawValue) definition of \(name)" }))
        return try runtimes.install(record, kinds: kinds)
    }

    public func uninstall(_ name: NetworkName, kinds: [RuntimeKind]?) throws(VmnetError) -> [String] {
        let lock = try lock()
        defer { lock.release() }
        let record = try store.require(name)
        try lock.record(Intent(.uninstall, networks: [name], effects: ["remove the runtime definitions of \(name)"]))
        return try runtimes.uninstall(record.name, bridge: record.bridge, kinds: kinds)
    }

    // MARK: hosts and leases

    /// Reserves a host and tells a running dnsmasq by SIGHUP: its pid and leases stay.
    public func addHost(_ network: NetworkName, host: String, mac: String?, ip: String?) throws(VmnetError) -> HostReservation {
        let lock = try lock()
        defer { lock.release() }
        let record = try store.require(network)
        var reservations = try hosts.load(network)
        let reservationsBefore = reservations
        let reservation = try ReservationPlanner.reserve(host: host, mac: mac, ip: ip, network: record, existing: reservations)
        if reservations.contains(reservation) { return reservation }
        try ContainerHook(paths: paths, runner: runner).admit(reservation, on: record)
        reservations.removeAll { $0.name == host }
        reservations.append(reservation)
        try lock.record(Intent(.hostAdd, networks: [network], effects: ["write hosts.json of \(network)", "rewrite its host lists", "SIGHUP its dnsmasq"]))
        try hosts.save(reservations, for: network)
        FaultInjection.reach(.hostSaved)
        try publish(record, reservations)
        try repointForwards(of: record, reservationsBefore: reservationsBefore)
        try ReservationCheck.confirm(record, host: host, ip: reservation.ip, files: paths.dnsmasqFiles(of: network), dnsmasq: dnsmasq)
        return reservation
    }

    public func removeHost(_ network: NetworkName, host: String) throws(VmnetError) {
        let lock = try lock()
        defer { lock.release() }
        let record = try store.require(network)
        try HostReservation.validateName(host)
        var reservations = try hosts.load(network)
        guard reservations.contains(where: { $0.name == host }) else {
            throw .notFound("host '\(host)' is not reserved on '\(network)': 'vmnet host list \(network)' shows the reservations")
        }
        let reservationsBefore = reservations
        reservations.removeAll { $0.name == host }
        try lock.record(Intent(.hostRemove, networks: [network], effects: ["write hosts.json of \(network)", "rewrite its host lists", "SIGHUP its dnsmasq"]))
        try hosts.save(reservations, for: network)
        FaultInjection.reach(.hostRemoved)
        try publish(record, reservations)
        try repointForwards(of: record, reservationsBefore: reservationsBefore)
        try ReservationCheck.confirm(record, host: host, ip: nil, files: paths.dnsmasqFiles(of: network), dnsmasq: dnsmasq)
    }

    /// Re-renders the host lists of the networks and has their dnsmasq re-read them.
    public func reload(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkRecord] {
        let lock = try lock()
        defer { lock.release() }
        let records = try select(names)
        for record in records { try publish(record, try hosts.load(record.name), force: true) }
        return records
    }

    func publish(_ record: NetworkRecord, _ reservations: [HostReservation], force: Bool = false) throws(VmnetError) {
        let changed = try hosts.writeHostLists(for: record, reservations: reservations)
        if changed || force { _ = dnsmasq.reload(paths.dnsmasqFiles(of: record.name)) }
    }

    /// Leases, reservations and container addresses of the networks, merged.
    public func leases(_ names: [NetworkName]?) throws(VmnetError) -> [LeaseEntry] {
        var entries: [LeaseEntry] = []
        for record in try select(names).sorted(by: { $0.name < $1.name }) {
            let leaseText = try FileSystem.readUnlessMissing(paths.dnsmasqFiles(of: record.name).leaseFile) ?? ""
            entries += LeaseEntry.merge(network: record.name.value, leases: DHCPLease.parse(leaseText),
                                        reservations: try hosts.load(record.name), containers: containers.addresses(of: record),
                                        registered: try containers.registrations(in: paths.dnsmasqFiles(of: record.name)))
        }
        return entries
    }

    // MARK: status

    public func status(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkStatus] {
        // `list` shows broken networks itself: no warning about them here.
        let all = try store.loadAll()
        return try doctorProbe.statuses((names == nil ? all : try select(names)).sorted { $0.name < $1.name }, all: all).map { status in
            var status = status
            status.ports = guestPorts(status.record)
            return status
        }
    }

    /// Every check of `vmnet doctor` on the networks (all when nil), network by network.
    public func doctor(_ names: [NetworkName]?) throws(VmnetError) -> [DoctorFinding] {
        try requireRoot()
        let all = try store.loadAll()
        let selected = (names == nil ? all : try select(names)).sorted { $0.name < $1.name }
        // The host's other firewalls and the resolver are read for all networks at once (and
        // resolvectl once per network): doctor only, `list` stays free of them.
        // Coexistence is planned for every network at once (a plan for a few would call the
        // others' accepts surplus); only the selected networks' verdicts are kept.
        let chosen = Set(selected.map(\.name.value))
        let coexistence = hostFirewalls.findings(for: all).filter { $0.network.map(chosen.contains) ?? true }
        let outside = coexistence + resolved.findings(for: selected)
        var findings = try doctorProbe.findings(selected, all: all)
        for finding in outside {
            let last = findings.lastIndex { $0.network == finding.network }
            findings.insert(finding, at: last.map { $0 + 1 } ?? findings.endIndex)
        }
        guard names == nil else { return findings }
        // A record that cannot be read is a failure of its own network, named like the others.
        let broken = store.broken().map { damaged in
            DoctorFinding(network: damaged.name.value, check: "record", status: .fail, detail: StateStore.error(damaged).message,
                          fix: "repair the file, or 'vmnet destroy \(damaged.name)' to remove what is left of the network")
        }
        return broken + findings
    }

    public var doctorProbe: DoctorProbe {
        DoctorProbe(paths: paths, runner: runner, probe: probe, dnsmasq: dnsmasq, runtimes: runtimes, forwarding: forwarding)
    }

    // MARK: checks

    public func defaultFirewall() throws(VmnetError) -> FirewallKind {
        if firewalls[.nftables]?.isAvailable == true { return .nftables }
        if firewalls[.iptables]?.isAvailable == true { return .iptables }
        throw ExecutableLocator.missing("nft")
    }

    private func requireTools(for records: [NetworkRecord]) throws(VmnetError) {
        _ = try ExecutableLocator.require("ip")
        _ = try ExecutableLocator.require("dnsmasq")
        for kind in Set(records.map(\.firewall)) where firewalls[kind]?.isAvailable != true {
            throw ExecutableLocator.missing(kind == .nftables ? "nft" : "iptables")
        }
    }

    private func requireRoot() throws(VmnetError) {
        if geteuid() != 0 {
            throw VmnetError(.missingDependency, "vmnet changes bridges, firewall rules and system files: run it as root (sudo vmnet …)")
        }
    }
}
