/// Whether vmnet's nftables table still holds what `NftRuleset` put there for a network.
/// `nft flush table inet vmnet` keeps the chains and sets but drops every rule, so a table
/// that exists is not yet a table that works.
public enum NftCompleteness {
    /// Rules per chain as `NftRuleset` renders them: the expectation follows its rules.
    public static func expectedRuleCounts(like network: NetworkRecord) -> [String: Int] {
        NftTableState.ruleCounts(listing: NftRuleset.table([network], allBridges: []))
    }

    /// True when each chain has at least the rules vmnet renders (a rule someone added does
    /// not make the table incomplete).
    public static func rulesComplete(_ counts: [String: Int], like network: NetworkRecord) -> Bool {
        expectedRuleCounts(like: network).allSatisfy { (counts[$0.key] ?? -1) >= $0.value }
    }

    /// What the table lacks for `network`, one phrase each; empty when complete. A nil
    /// state means the table is not there at all.
    /// `expected`: `expectedRuleCounts`, when already known (the rules are the same for
    /// every network).
    public static func missing(for network: NetworkRecord, in state: NftTableState?, expected: [String: Int]? = nil) -> [String] {
        guard let state else { return ["table \(NftRuleset.table) is missing"] }
        var missing: [String] = []
        for (chain, count) in (expected ?? expectedRuleCounts(like: network)).sorted(by: { $0.key < $1.key }) {
            guard let have = state.ruleCounts[chain] else {
                missing.append("chain \(chain) is missing")
                continue
            }
            if have < count { missing.append("chain \(chain) has \(have) of its \(count) rules") }
        }
        for (set, wanted) in NftRuleset.elements([network], allBridges: []).sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !set.isMap && !(set.isPolicy && wanted.isEmpty) {
            guard let have = state.elements[set.rawValue] else {
                missing.append("set \(set.rawValue) is missing")
                continue
            }
            // Filter the few wanted elements: `subtracting` would walk every element of the set.
            for element in wanted.filter({ !have.contains($0) }).sorted() { missing.append("set \(set.rawValue) lacks \(element)") }
        }
        return missing
    }
}
