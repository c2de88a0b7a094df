import VmnetCore

/// create, destroy, up and down: the commands that make and remove networks' parts.
extension NetworkController {
    public enum CreateOutcome: Sendable { case created, existed }

    public func create(_ request: CreateRequest, start: Bool, fixAcceptRA: Bool = false) throws(VmnetError) -> (NetworkRecord, CreateOutcome) {
        try withLock { (lock) throws(VmnetError) in
            if let existing = try store.load(request.name) {
                if let mismatch = NetworkPlanner.mismatch(request, existing: existing) { throw .conflict(mismatch) }
                if start {
                    try lock.record(.bringingUp(.up, networks: [existing.name], records: [existing]))
                    try bringUp([existing], fixAcceptRA: fixAcceptRA)
                }
                return (try store.require(request.name), .existed)
            }
            let catalog = ProfileCatalog(paths: paths)
            let profile = try catalog.load(request.profile ?? ProfileCatalog.defaultProfile).profile
            let host = try probe.snapshot(forAllocation: true)
            let records = try store.loadAll()
            let prefixStore = UniqueLocalStore(paths: paths)
            let uniqueLocal = request.subnet6 == nil && !request.noIPv6 && profile.ipv6 == .ula ? try prefixStore.loadOrDraw() : nil
            var record = try NetworkPlanner.record(
                for: request, profile: profile, host: host, existing: records, defaultFirewall: try defaultFirewall(), created: Timestamp.now(),
                uniqueLocal: uniqueLocal?.prefix)
            if let firewall = firewalls[record.firewall], !firewall.isAvailable {
                throw ExecutableLocator.missing(record.firewall == .nftables ? "nft" : "iptables")
            }
            // Refused before the journal and the record: a refusal leaves nothing to undo.
            try requireIPv6(for: [record], existing: host.interfaces, creating: true)
            if start { _ = try acceptRAGuard(for: [record], fix: fixAcceptRA) }
            try lock.record(.bringingUp(.create, networks: [record.name], records: [record]))
            // Kept even if the create fails later: it is the host's, like a machine ID.
            if let uniqueLocal, uniqueLocal.drawn, record.subnet6 != nil { try prefixStore.save(uniqueLocal.prefix) }
            let revert = Revert()
            // Before the save: a save that fails on a full disk leaves an empty directory.
            revert.add("removing the record of '\(record.name)'") { store.delete(record.name) }
            revert.add("restoring NetworkManager's drop-in") { networkManager.update(for: records) }
            do throws(VmnetError) {
                try store.save(record)
                FaultInjection.reach(.createRecorded)
                if start {
                    record.enabled = true
                    try bringUp([record], host: host, fixAcceptRA: fixAcceptRA)
                }
            } catch {
                throw revert.fail(error)
            }
            revert.success()
            if let note = NetworkPlanner.fallbackNote(for: record, request: request, profile: profile, host: host, existing: records) {
                warnings.note(note)
            }
            return (record, .created)
        }
    }

    /// Destroys the named networks that exist and returns their names; missing ones are
    /// skipped, so destroying twice succeeds.
    public func destroy(_ names: [NetworkName]) throws(VmnetError) -> [NetworkName] {
        try withLock { (lock) throws(VmnetError) in
            try lock.record(.takingDown(.destroy, networks: names, records: store.scan().records.filter { names.contains($0.name) }), required: false)
            return try destroyLocked(names)
        }
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
        try BrokenNetworkCleaner(paths: paths, links: links, firewalls: firewalls, dnsmasq: dnsmasq, runtimes: runtimes, warnings: warnings, host: host)
            .remove(broken, others: try store.loadAll())
        let remaining = try store.loadAll()
        networkManager.update(for: remaining)
        try refreshPeers(remaining, except: [])
        return records.map(\.name) + broken.map(\.name) + leftovers
    }

    /// The named networks, or (nil, `up --all`) those whose autostart is on.
    public func up(_ names: [NetworkName]?, fixAcceptRA: Bool = false) throws(VmnetError) -> [NetworkRecord] {
        try withLock { (lock) throws(VmnetError) in
            let records = names == nil ? AutostartSelection.raisedByUpAll(try select(nil)) : try select(names)
            // Best effort, like down: an up with nothing to write works on a full disk.
            // `--all` journals the networks it chose: recovery must not raise the others.
            try lock.record(.bringingUp(.up, networks: names ?? records.map(\.name), records: records), required: false)
            try bringUp(records, fixAcceptRA: fixAcceptRA)
            return records
        }
    }

    /// Refuses, changing nothing, while guests are attached, unless `force`.
    public func down(_ names: [NetworkName]?, force: Bool = false) throws(VmnetError) -> [NetworkRecord] {
        try withLock { (lock) throws(VmnetError) in
            let records = try select(names)
            try rememberGuests(records, refusing: !force)
            try lock.record(.takingDown(.down, networks: names, records: records), required: false)
            try bringDown(records)
            return records
        }
    }
}
