import VmnetCore

/// nftables: one `inet vmnet` table, replaced whole in a single transaction.
public struct NftablesFirewall: FirewallBackend {
    public let runner: CommandRunner
    /// Where it finds `nft`.
    public let host: HostAccess
    public let kind = FirewallKind.nftables

    public init(runner: CommandRunner, host: HostAccess) {
        self.runner = runner
        self.host = host
    }

    public var isAvailable: Bool { host.executable("nft") != nil }

    public func apply(_ change: FirewallChange) throws(VmnetError) {
        let networks = change.networks
        if let previous = change.previous, !networks.isEmpty || change.keepTable {
            let update = NftRuleset.update(
                networks, allBridges: change.allBridges, previous: previous, previousBridges: change.previousBridges, touched: change.touched,
                forwards: change.forwards, previousForwards: change.heldForwards)
            // Fails when the table is gone (a flushed ruleset). A flushed table keeps its chains
            // and sets, so the update succeeds on it: the table listed in the same batch (as it
            // was before it; terse, without set elements) tells. Either way, rebuild it. The
            // listing costs ~2 ms, hidden behind dnsmasq's start when one starts.
            // A network with a policy expects its rules too: a table built before one had
            // none of them (the update then also fails on the sets it lacks).
            guard let model = networks.first(where: \.hasGuestPolicy) ?? networks.first ?? previous.first else {
                if try runner.run(["nft", "-f", "-"], input: update).succeeded { return }
                return try rebuild(change)
            }
            // nft 1.0.6 fails a batch with more than one list command: one terse table listing.
            let result = try runner.run(["nft", "-t", "-f", "-"], input: update + "list table \(NftRuleset.table)\n")
            if result.succeeded && NftCompleteness.rulesComplete(NftTableState.ruleCounts(listing: result.standardOutput), like: model) { return }
        }
        try rebuild(change)
    }

    private func rebuild(_ change: FirewallChange) throws(VmnetError) {
        try runner.check(["nft", "-f", "-"], input: NftRuleset.table(change.networks, allBridges: change.allBridges, forwards: change.forwards),
                         doing: "applying nftables rules")
    }

    public func installedBridges() -> Set<String> {
        guard isAvailable, let result = try? runner.run(["nft", "list", "set", "inet", "vmnet", NftRuleset.SetName.ownTraffic.rawValue]), result.succeeded else { return [] }
        // Every network's bridge is in the `own_traffic` set as `"BR" . "BR"`.
        var bridges: Set<String> = []
        for word in result.standardOutput.split(whereSeparator: { " \t\n{},=".contains($0) }) where word.hasPrefix("\"") && word.hasSuffix("\"") {
            bridges.insert(String(word.dropFirst().dropLast()))
        }
        return bridges
    }
}
