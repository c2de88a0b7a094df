import VmnetCore

/// vmnet's own rules, for every firewall mechanism in use.
extension NetworkController {
    /// Rewrites each firewall mechanism's rules for the enabled networks that use it, as
    /// `FirewallPlanner` decides. `heldForwards`: what the rules forward now, when it differs
    /// from what the previous records' forwards resolve to.
    func applyFirewalls(_ records: [NetworkRecord], previous: [NetworkRecord], touched: [NetworkRecord] = [], keepTables: Bool = true,
                        heldForwards given: [ResolvedForward]? = nil) throws(VmnetError) {
        // A forwards.json that cannot be read loses its network's forwards, not every network's `up`.
        let wanted = try forwards.resolved(records.filter(\.enabled), skippingDamaged: { warnings.add("\($0.message): its forwards are off") })
        let held: [ResolvedForward]
        if let given {
            held = given
        } else {
            let others = try forwards.resolved(FirewallPlanner.networksWithOtherHeldForwards(records: records, previous: previous), skippingDamaged: { _ in })
            held = FirewallPlanner.heldForwards(wanted: wanted, records: records, previous: previous, others: others)
        }
        let changes = FirewallPlanner.changes(
            records: records, previous: previous, touched: touched, keepTables: keepTables, forwards: wanted, heldForwards: held)
        for change in changes {
            guard let backend = firewalls[change.kind] else { continue }
            // Removing rules needs the programs; without them there are no rules to remove.
            if change.networks.isEmpty && !backend.isAvailable { continue }
            try backend.apply(change)
        }
    }
}
