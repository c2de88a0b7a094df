import VmnetCore

/// vmnet's own rules, for every firewall mechanism in use.
extension NetworkController {
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
