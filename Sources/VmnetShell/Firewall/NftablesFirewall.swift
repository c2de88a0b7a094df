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

    public func apply(
        _ networks: [NetworkRecord], allBridges: [String], previous: (networks: [NetworkRecord], bridges: [String])?,
        touched: [NetworkRecord], keepTable: Bool, forwards: [ResolvedForward], previousForwards: [ResolvedForward]
    ) throws(VmnetError) {
        if let previous, !networks.isEmpty || keepTable {
            let update = NftRuleset.update(
                networks, allBridges: allBridges, previous: previous.networks, previousBridges: previous.bridges, touched: touched,
                forwards: forwards, previousForwards: previousForwards)
            // Fails when the table is gone (a flushed ruleset). A flushed table keeps its chains
            // and sets, so the update succeeds on it: the table listed in the same batch (as it
            // was before it; terse, without set elements) tells. Either way, rebuild it. The
            // listing costs ~2 ms, hidden behind dnsmasq's start when one starts.
            guard let model = networks.first ?? previous.networks.first else {
                if try runner.run(["nft", "-f", "-"], input: update).succeeded { return }
                return try rebuild(networks, allBridges: allBridges, forwards: forwards)
            }
            // nft 1.0.6 fails a batch with more than one list command: one terse table listing.
            let result = try runner.run(["nft", "-t", "-f", "-"], input: update + "list table \(NftRuleset.table)\n")
            if result.succeeded && NftCompleteness.rulesComplete(NftTableState.ruleCounts(listing: result.standardOutput), like: model) { return }
        }
        try rebuild(networks, allBridges: allBridges, forwards: forwards)
    }

    private func rebuild(_ networks: [NetworkRecord], allBridges: [String], forwards: [ResolvedForward]) throws(VmnetError) {
        try runner.check(["nft", "-f", "-"], input: NftRuleset.table(networks, allBridges: allBridges, forwards: forwards), doing: "applying nftables rules")
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
