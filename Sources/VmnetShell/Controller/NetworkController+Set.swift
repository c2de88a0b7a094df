import VmnetCore

/// `set`: an existing network's settings changed in place, as `NetworkChange` plans them.
extension NetworkController {
    /// Saves the changed record, then performs on a running network only what the changed
    /// settings need; every step undone if a later one fails. Nothing is touched when no
    /// setting differs.
    public func set(_ name: NetworkName, settings: [NetworkSetting], replace: Bool) throws(VmnetError) -> SetOutcome {
        try withLock { (lock) throws(VmnetError) in
            let record = try store.require(name)
            let change = try NetworkChange.plan(record, settings: settings, replace: replace) { (wanted) throws(VmnetError) in
                try replacementSubnet(for: record, wanted: wanted)
            }
            guard !change.isEmpty else { return SetOutcome(change: change, applied: false) }
            if let root = change.after.dhcpOptions.tftpRoot, root != record.dhcpOptions.tftpRoot, !FileSystem.isDirectory(root) {
                throw .invalid("setting tftp_root of '\(name)': \(root) is not a directory: create it and put the boot files in it first")
            }
            try lock.record(Intent(.set, networks: [name], effects: change.changes.map { "set \($0)" }))
            guard record.enabled else {
                try store.save(change.after)
                return SetOutcome(change: change, applied: false)
            }
            if change.applications.contains(.readdress) {
                try readdress(change)
            } else {
                try applyInPlace(change)
            }
            return SetOutcome(change: change, applied: true)
        }
    }

    /// Refused while hosts reserve addresses of the old subnet: their reservations and the
    /// forwards to them would point nowhere.
    private func replacementSubnet(for record: NetworkRecord, wanted: IPv4Subnet?) throws(VmnetError) -> IPv4Subnet {
        let reservations = try hosts.load(record.name)
        if !reservations.isEmpty {
            throw .conflict("setting subnet of '\(record.name)': hosts \(reservations.map(\.name).joined(separator: ", ")) reserve addresses in \(record.subnet): remove them ('vmnet host rm') first")
        }
        let profile = try ProfileCatalog(paths: paths).load(record.profile).profile
        let others = try store.loadAll().filter { $0.name != record.name }
        return try NetworkChange.replacementSubnet(for: record, wanted: wanted, profile: profile, host: try probe.snapshot(forAllocation: true), others: others)
    }

    /// The running network's parts that the change needs, in `ChangeApplication`'s order.
    private func applyInPlace(_ change: NetworkChange) throws(VmnetError) {
        try requireTools(for: [change.after])
        let before = try store.loadAll()
        let after = before.map { $0.name == change.after.name ? change.after : $0 }
        try Revert.run { (revert) throws(VmnetError) in
            revert.add("restoring the record of '\(change.before.name)'") { () throws(VmnetError) in try store.save(change.before) }
            try store.save(change.after)
            for application in change.applications {
                switch application {
                case .bridgeMTU:
                    revert.add("restoring the MTU of \(change.before.bridge)") { () throws(VmnetError) in try links.apply(mtuOperations(change.before)) }
                    try links.apply(mtuOperations(change.after))
                case .dnsmasqRestart:
                    let host = try probe.snapshot()
                    revert.add("restarting dnsmasq with the previous settings") { () throws(VmnetError) in
                        try restartDnsmasq(change.before, recorded: before, host: host)
                    }
                    try restartDnsmasq(change.after, recorded: after, host: host)
                case .dnsmasqReload:
                    let files = paths.dnsmasqFiles(of: change.after.name)
                    revert.add("restoring the DHCP options of '\(change.before.name)'") { () throws(VmnetError) in
                        _ = try dnsmasq.writeOptions(DnsmasqGuestOptions.optionsFile(change.before), files: files)
                        _ = dnsmasq.reload(files)
                    }
                    _ = try dnsmasq.writeOptions(DnsmasqGuestOptions.optionsFile(change.after), files: files)
                    _ = dnsmasq.reload(files)
                case .firewallRules:
                    try applyFirewalls(after, previous: before, touched: [change.after])
                    revert.add("restoring the firewall rules") { () throws(VmnetError) in try applyFirewalls(before, previous: after, touched: [change.before]) }
                case .recordOnly, .readdress:
                    break
                }
            }
        }
    }

    /// The keeper port first: a bridge port with a smaller MTU than the bridge pulls it down.
    private func mtuOperations(_ record: NetworkRecord) -> [LinkOperation] {
        [.setMTU(name: BridgeNamer.keeperPort(for: record.bridge).port, mtu: record.effectiveMTU), .setMTU(name: record.bridge, mtu: record.effectiveMTU)]
    }

    /// dnsmasq with the record's configuration; the lease file stays, so it starts with the
    /// leases it had.
    private func restartDnsmasq(_ record: NetworkRecord, recorded: [NetworkRecord], host: HostSnapshot) throws(VmnetError) {
        let files = paths.dnsmasqFiles(of: record.name)
        let upstream = DnsmasqConfig.upstreamServers(for: record, host: host, vmnetGateways: Set(recorded.map(\.gateway)))
        let config = DnsmasqConfig.render(record, files: files, upstream: upstream)
        _ = try dnsmasq.writeOptions(DnsmasqGuestOptions.optionsFile(record), files: files)
        guard try dnsmasq.prepare(record, files: files, config: config, bridgeIsNew: false) else { return }
        let starting = [(network: record, files: files)]
        try dnsmasq.confirm(starting, try dnsmasq.launch(starting))
    }

    /// A new subnet: the network goes down on the old one and comes up on the new one, its
    /// guests' ports attached again; if that fails, it comes back up on the old one.
    private func readdress(_ change: NetworkChange) throws(VmnetError) {
        try rememberGuests([change.before], refusing: false)
        try Revert.run { (revert) throws(VmnetError) in
            revert.add("bringing '\(change.before.name)' up on \(change.before.subnet) again") { () throws(VmnetError) in
                try store.save(change.before)
                try bringUp([change.before])
            }
            try bringDown([change.before])
            try store.save(change.after)
            try bringUp([change.after])
        }
    }
}
