import VmnetCore

/// nftables: one `inet vmnet` table, replaced whole in a single transaction.
public struct NftablesFirewall: FirewallBackend {
    public let runner: CommandRunner
    public let kind = FirewallKind.nftables

    public init(runner: CommandRunner) { self.runner = runner }

    public var isAvailable: Bool { ExecutableLocator.find("nft") != nil }

    public func apply(_ networks: [NetworkRecord], allBridges: [String]) throws(VmnetError) {
        let ruleset = NftRuleset.render(networks, allBridges: allBridges)
        try runner.check(["nft", "-f", "-"], input: ruleset, doing: "applying nftables rules")
    }

    public func installedBridges() -> Set<String> {
        guard isAvailable, let result = try? runner.run(["nft", "list", "chain", "inet", "vmnet", "forward"]), result.succeeded else { return [] }
        // Every network's first forward rule is `iifname "BR" oifname "BR" accept`.
        var bridges: Set<String> = []
        for line in result.standardOutput.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count == 5, words[0] == "iifname", words[2] == "oifname", words[1] == words[3], words[4] == "accept" {
                bridges.insert(String(words[1].dropFirst().dropLast()))
            }
        }
        return bridges
    }
}
