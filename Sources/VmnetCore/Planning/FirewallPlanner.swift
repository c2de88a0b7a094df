/// Turns the records before and after a command into one `FirewallChange` per mechanism that
/// has something to do, and says which port forwards the rules hold now.
public enum FirewallPlanner {
    /// The networks enabled before whose forwards the new ones do not tell (their record
    /// changed, or they are no longer enabled): what the rules hold for them is read anew.
    public static func networksWithOtherHeldForwards(records: [NetworkRecord], previous: [NetworkRecord]) -> [NetworkRecord] {
        let enabled = records.filter(\.enabled)
        return previous.filter { $0.enabled && !enabled.contains($0) }
    }

    /// The forwards the rules hold now: a network enabled before and now with the same record
    /// resolves to the same forwards, so they are taken from `wanted` (the files are read once
    /// per network, not twice); `others` are those of `networksWithOtherHeldForwards`.
    public static func heldForwards(
        wanted: [ResolvedForward], records: [NetworkRecord], previous: [NetworkRecord], others: [ResolvedForward]
    ) -> [ResolvedForward] {
        let enabled = records.filter(\.enabled)
        let kept = Set(previous.filter { $0.enabled && enabled.contains($0) }.map(\.bridge))
        return wanted.filter { kept.contains($0.bridge) } + others
    }

    /// One change per mechanism the enabled networks use now or used before. A mechanism none
    /// of them used or uses is left alone: touching iptables on every nftables-only command
    /// cost a dozen processes. Tables are kept while networks of their kind are recorded, even
    /// when all are down, unless `keepTables` is false (the last network destroyed).
    public static func changes(
        records: [NetworkRecord], previous: [NetworkRecord], touched: [NetworkRecord], keepTables: Bool,
        forwards: [ResolvedForward], heldForwards: [ResolvedForward]
    ) -> [FirewallChange] {
        let enabled = records.filter(\.enabled)
        let previouslyEnabled = previous.filter(\.enabled)
        var changes: [FirewallChange] = []
        for kind in FirewallKind.allCases {
            let mine = enabled.filter { $0.firewall == kind }
            let before = previouslyEnabled.filter { $0.firewall == kind }
            let installed = previous.contains { $0.firewall == kind }
            if mine.isEmpty && before.isEmpty && (keepTables || !installed) { continue }
            changes.append(FirewallChange(
                kind: kind, networks: mine, allBridges: enabled.map(\.bridge), previous: installed ? before : nil,
                previousBridges: installed ? previouslyEnabled.map(\.bridge) : [], touched: touched.filter { $0.firewall == kind },
                keepTable: keepTables, forwards: forwards, heldForwards: heldForwards))
        }
        return changes
    }
}
