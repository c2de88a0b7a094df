/// Decides how to finish or undo a command that was killed, from its journal and what is on
/// the host. A killed create is undone and a killed destroy finished (both: everything of the
/// network goes); a killed up or down is finished by bringing its networks to their recorded
/// state; a killed host change re-renders the host lists from hosts.json. Then whatever no
/// record owns goes: temporary files, dnsmasq instances, links, firewall elements and empty
/// directories.
public enum RecoveryPlanner {
    /// `intent` is nil when the journal could not be read: only the sweep runs then.
    public static func plan(_ intent: Intent?, _ observed: RecoveryObservation) -> [RecoveryAction] {
        let records = Dictionary(observed.records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let known = Set(observed.records.map(\.name.value)).union(observed.brokenNetworks.map(\.value))
        var actions: [RecoveryAction] = observed.temporaryFiles.sorted().map { .removeFile($0) }
        var finishing: [RecoveryAction] = []
        var handled: Set<NetworkName> = []

        if let intent {
            let named = intent.networks ?? observed.records.map(\.name)
            switch intent.command {
            case .create, .destroy:
                for name in named where known.contains(name.value) || observed.stateDirectories.contains(name.value)
                    || observed.runDirectories.contains(name.value) {
                    finishing.append(.destroy(name))
                    handled.insert(name)
                }
            // A killed `set` saved its record first: the network is brought to it like after up or down.
            case .up, .down, .set:
                for name in named {
                    guard let record = records[name] else { continue }
                    finishing.append(record.enabled ? .bringUp(name) : .bringDown(name))
                    handled.insert(name)
                }
            case .hostAdd, .hostRemove:
                for name in named where records[name] != nil { finishing.append(.republishHosts(name)) }
            case .install, .uninstall:
                break
            }
        }
        let destroyed = Set(finishing.compactMap { action -> NetworkName? in
            if case .destroy(let name) = action { return name }
            return nil
        })

        // dnsmasq first: one left without its pid file would hold the ports of the one `up` starts.
        let enabled = observed.records.filter { $0.enabled && !destroyed.contains($0.name) }
        let up = Set(enabled.map(\.name.value))
        let broken = Set(observed.brokenNetworks.map(\.value))
        let spared = up.union(destroyed.map(\.value)).union(broken)
        for name in observed.runDirectories.sorted() where !spared.contains(name) {
            actions.append(.stopDnsmasq(name))
            if !known.contains(name) { actions.append(.removeRunDirectory(name)) }
        }
        for (pid, name) in observed.dnsmasqProcesses.sorted(by: { $0.key < $1.key }) where !broken.contains(name) {
            if up.contains(name) && observed.dnsmasqPidFiles[name] == pid { continue }
            actions.append(.killDnsmasq(pid: pid, network: name))
        }
        actions += finishing

        // Links of the networks handled above are theirs to remove; the rest must have a record.
        var owned: Set<String> = []
        for record in observed.records {
            let keeper = BridgeNamer.keeperPort(for: record.bridge)
            owned.formUnion([record.bridge, keeper.port, keeper.peer])
        }
        var strays: [String] = []
        var strayPeers: Set<String> = []
        let candidates = Set(intent?.links ?? []).union(observed.interfaces.filter { $0.hasPrefix(BridgeNamer.prefix) })
        for bridge in candidates.sorted() where observed.interfaces.contains(bridge) && !owned.contains(bridge) {
            let keeper = BridgeNamer.keeperPort(for: bridge)
            // A bridge named like vmnet's but without the keeper port may be someone else's.
            let mine = intent?.links.contains(bridge) == true || observed.interfaces.contains(keeper.port)
            guard mine, !isKeeper(bridge) else { continue }
            strays.append(bridge)
            if observed.interfaces.contains(keeper.port) { strays.append(keeper.port) }
            strayPeers.insert(keeper.peer)
        }
        for link in observed.interfaces.sorted() where isKeeper(link) && !owned.contains(link) && !strays.contains(link) {
            // Deleting one end of a veth deletes the other: name each pair once.
            let peer = link.hasPrefix("vmq-") ? "vmp-" + link.dropFirst(4) : "vmq-" + link.dropFirst(4)
            if strays.contains(peer) || strayPeers.contains(link) { continue }
            strays.append(link)
        }
        if !strays.isEmpty { actions.append(.deleteLinks(strays)) }

        // Elements of networks that are neither enabled nor handled above (those fix their own).
        let allowed = Set(enabled.map(\.bridge)).union(observed.records.filter { handled.contains($0.name) }.map(\.bridge))
        for kind in FirewallKind.allCases {
            guard let bridges = observed.firewallBridges[kind], !bridges.isSubset(of: allowed) else { continue }
            actions.append(.rebuildFirewall(kind))
        }

        for name in observed.emptyStateDirectories.sorted() where !known.contains(name) {
            if let network = try? NetworkName(name), handled.contains(network) { continue }
            actions.append(.removeStateDirectory(name))
        }
        return actions
    }

    private static func isKeeper(_ link: String) -> Bool { link.hasPrefix("vmp-") || link.hasPrefix("vmq-") }
}
