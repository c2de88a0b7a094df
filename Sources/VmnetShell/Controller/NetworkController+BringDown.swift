import VmnetCore

/// `down` and `destroy`'s effects in their order.
extension NetworkController {
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
}
