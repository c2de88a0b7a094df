import VmnetCore

/// `vmnet watch`'s repair: what `up` would put back in the firewalls, for the networks that are
/// up, and only what is missing.
extension NetworkController {
    /// Checks vmnet's own rules and its accepts in the host's other firewalls, re-applies what
    /// is missing, and returns one log line per repaired network (empty when all was in place).
    public func repairFirewalls() throws(VmnetError) -> [String] {
        try withLock { (_) throws(VmnetError) in
            let records = try store.loadAll()
            let enabled = records.filter(\.enabled)
            guard !enabled.isEmpty else { return [] }
            var lines: [String] = []
            let own = missingOwnRules(enabled)
            if !own.isEmpty {
                let touched = enabled.filter { own[$0.name.value] != nil }
                try applyFirewalls(records, previous: records, touched: touched)
                lines += touched.map { FirewallRepair.logLine(network: $0.name.value, missing: own[$0.name.value] ?? []) }
            }
            let foreign = try foreignFirewalls.repairIptables(enabled: enabled, recorded: records)
            if !foreign.isEmpty {
                let byNetwork = Dictionary(grouping: foreign) { $0.network ?? "host" }
                lines += byNetwork.keys.sorted().map { network in
                    FirewallRepair.logLine(network: network, missing: byNetwork[network, default: []].map { $0.check == CoexistenceFindings.ip6tablesCheck ? "its accepts in ip6tables" : "its accepts in iptables" })
                }
            }
            return lines
        }
    }

    /// What each enabled network lacks of its own rules, by name; networks lacking nothing are absent.
    private func missingOwnRules(_ enabled: [NetworkRecord]) -> [String: [String]] {
        let kinds = Set(enabled.map(\.firewall))
        let nftTable = kinds.contains(.nftables) ? doctorProbe.nftTable() : nil
        let iptables = kinds.contains(.iptables)
        let save = iptables ? listing(["iptables-save"]) : nil
        let save6 = iptables && enabled.contains { $0.firewall == .iptables && $0.hasIPv6 } ? listing([IptablesFirewall.ip6tables(on: host).save]) : nil
        var missing: [String: [String]] = [:]
        for record in enabled {
            let lacking = FirewallRepair.missingOwnRules(record, nftTable: nftTable, iptablesSave: save, ip6tablesSave: save6)
            if !lacking.isEmpty { missing[record.name.value] = lacking }
        }
        return missing
    }

    /// A listing's output; nil when it could not be read.
    private func listing(_ command: [String]) -> String? {
        guard let result = try? runner.run(command), result.succeeded else { return nil }
        return result.standardOutput
    }
}
