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
        let elements = NftRuleset.elements([network], allBridges: [])
        for (set, wanted) in elements.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !set.isMap && !(set.isPolicy && wanted.isEmpty) {
            guard let have = state.elements[set.rawValue] else {
                missing.append("set \(set.rawValue) is missing")
                continue
            }
            if set.isPerBridgeList {
                // A listing spells ports, ranges and /32 its own way: the bridge's items are counted.
                let prefix = "\"\(network.bridge)\" . "
                let count = have.filter { $0.hasPrefix(prefix) }.count
                if count < wanted.count { missing.append("set \(set.rawValue) has \(count) of this network's \(wanted.count) items") }
                continue
            }
            // Filter the few wanted elements: `subtracting` would walk every element of the set.
            for element in wanted.filter({ !have.contains($0) }).sorted() { missing.append("set \(set.rawValue) lacks \(element)") }
        }
        return missing + missingPolicyRules(for: network, in: state, elements: elements)
    }

    /// The policy's rules this network's policy needs, known by the sets they consult: a chain
    /// may keep its count through someone else's rule, but not the shield's match.
    private static func missingPolicyRules(for network: NetworkRecord, in state: NftTableState, elements: [NftRuleset.SetName: Set<String>]) -> [String] {
        guard network.hasGuestPolicy, !state.setReferences.isEmpty else { return [] }
        let expected = NftTableState.setReferences(listing: NftRuleset.table([network], allBridges: []))
        let policy = "host_access=\(network.hostAccess) egress=\(network.mode == .nat ? network.egress.description : "none (host-only)")"
        return NftRuleset.SetName.allCases.filter { $0.isPolicy && !(elements[$0] ?? []).isEmpty }.compactMap { set in
            let have = state.setReferences[set.rawValue] ?? 0
            let want = expected[set.rawValue] ?? 0
            return have < want ? "\(have) of the \(want) rules matching @\(set.rawValue) (the policy \(policy) is not in force)" : nil
        }
    }
}
