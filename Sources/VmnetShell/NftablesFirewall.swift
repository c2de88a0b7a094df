import VmnetCore

/// nftables: one `inet vmnet` table, replaced whole in a single transaction.
public struct NftablesFirewall: FirewallBackend {
    public let runner: CommandRunner
    public let kind = FirewallKind.nftables

    public init(runner: CommandRunner) { self.runner = runner }

    public var isAvailable: Bool { ExecutableLocator.find("nft") != nil }

    public func apply(
        _ networks: [NetworkRecord], allBridges: [String], previous: (networks: [NetworkRecord], bridges: [String])?,
        touched: [NetworkRecord], keepTable: Bool
    ) throws(VmnetError) {
        if let previous, !networks.isEmpty || keepTable {
            let update = NftRuleset.update(
                networks, allBridges: allBridges, previous: previous.networks, previousBridges: previous.bridges, touched: touched)
            // Fails when the table is gone (a flushed ruleset). A flushed table keeps its chains
            // and sets, so the update succeeds on it: the chains listed in the same batch (as
            // they were before it) tell. Either way, rebuild it.
            guard let model = networks.first ?? previous.networks.first else {
                if try runner.run(["nft", "-f", "-"], input: update).succeeded { return }
                return try rebuild(networks, allBridges: allBridges)
            }
            let result = try runner.run(["nft", "-f", "-"], input: update + NftCompleteness.chainListing(like: model))
            if result.succeeded && NftCompleteness.rulesComplete(NftTableState.ruleCounts(listing: result.standardOutput), like: model) { return }
        }
        try rebuild(networks, allBridges: allBridges)
    }

    private func rebuild(_ networks: [NetworkRecord], allBridges: [String]) throws(VmnetError) {
        try runner.check(["nft", "-f", "-"], input: NftRuleset.table(networks, allBridges: allBridges), doing: "applying nftables rules")
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
