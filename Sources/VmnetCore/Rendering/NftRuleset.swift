/// vmnet's nftables table: static rules that only consult sets, and sets that say which
/// bridge is what. Changing networks then only changes set elements.
///
/// Why: in an nftables transaction, adding is cheap but deleting anything (a rule, an
/// element) or re-declaring a base chain costs an RCU grace period, ~10 ms each time here.
/// `table` builds the whole table once (when vmnet's first nftables network comes up, or to
/// repair it); `update` adds what is new plus every element of the networks being brought up
/// (adding an existing element changes nothing, so it also repairs theirs) and deletes only
/// what went away. Both are single atomic `nft -f` transactions, and applying either twice
/// leaves the same rules. An update's size follows what changed, not how many networks exist.
public enum NftRuleset {
    public static let table = "inet vmnet"

    /// The sets and what each holds.
    public enum SetName: String, CaseIterable, Sendable {
        /// Every enabled vmnet bridge, whatever its firewall (isolation holds across backends).
        case bridges
        /// Bridges of networks isolated from the other vmnet networks.
        case isolated
        case hostOnly = "host_only"
        case natBridges = "nat_bridges"
        /// `bridge . bridge` pairs: traffic routed back into its own network.
        case ownTraffic = "own_traffic"
        /// Subnets of NAT networks (postrouting has no input interface to match on).
        case natSubnets = "nat_subnets"
        /// The host's address on each bridge, and on the isolated ones; `bridge . gateway`
        /// pairs say which address belongs to which bridge.
        case gateways
        case isolatedGateways = "isolated_gateways"
        case ownGateways = "own_gateways"

        var declaration: String {
            switch self {
            case .ownTraffic: return "type ifname . ifname"
            case .natSubnets: return "type ipv4_addr\n\t\tflags interval"
            case .gateways, .isolatedGateways: return "type ipv4_addr"
            case .ownGateways: return "type ifname . ipv4_addr"
            default: return "type ifname"
            }
        }
    }

    /// The elements each set holds for these networks.
    public static func elements(_ networks: [NetworkRecord], allBridges: [String]) -> [SetName: Set<String>] {
        func quoted(_ name: String) -> String { "\"\(name)\"" }
        let nat = networks.filter { $0.mode == .nat }
        return [
            .bridges: Set((allBridges + networks.map(\.bridge)).map(quoted)),
            .isolated: Set(networks.filter(\.isolation).map { quoted($0.bridge) }),
            .hostOnly: Set(networks.filter { $0.mode == .hostOnly }.map { quoted($0.bridge) }),
            .natBridges: Set(nat.map { quoted($0.bridge) }),
            .ownTraffic: Set(networks.map { "\(quoted($0.bridge)) . \(quoted($0.bridge))" }),
            .natSubnets: Set(nat.map { $0.subnet.description }),
            .gateways: Set(networks.map(\.gateway.description)),
            .isolatedGateways: Set(networks.filter(\.isolation).map(\.gateway.description)),
            .ownGateways: Set(networks.map { "\(quoted($0.bridge)) . \($0.gateway)" }),
        ]
    }

    /// Builds the table from nothing (replacing whatever is there). With no networks, removes it.
    public static func table(_ networks: [NetworkRecord], allBridges: [String]) -> String {
        // Creating then deleting makes the delete safe when the table does not exist.
        var out = "table \(table)\ndelete table \(table)\n"
        guard !networks.isEmpty else { return out }
        let reject = "reject with icmpx type admin-prohibited"
        out += "table \(table) {\n"
        for set in SetName.allCases { out += "\tset \(set.rawValue) {\n\t\t\(set.declaration)\n\t}\n" }
        out += chain("input", "type filter hook input priority filter; policy accept;", [
            // The host's address on another bridge is part of that network: an isolated
            // network neither reaches nor is reached through it (its dnsmasq, ping, anything).
            "iifname @bridges ip daddr @isolated_gateways iifname . ip daddr != @own_gateways \(reject)",
            "iifname @isolated ip daddr @gateways iifname . ip daddr != @own_gateways \(reject)",
            // Each dnsmasq serves its own bridge (and the host) only: bind-interfaces binds an
            // address, and the kernel delivers to it whatever interface a query came in on.
            "iifname != \"lo\" ip daddr @gateways meta l4proto { tcp, udp } th dport { 53, 67 } iifname . ip daddr != @own_gateways \(reject)",
            "iifname @bridges udp dport 67 accept",
            "iifname @bridges meta l4proto { tcp, udp } th dport 53 accept",
        ])
        out += chain("forward", "type filter hook forward priority filter; policy accept;", [
            "iifname . oifname @own_traffic accept",
            "iifname @isolated oifname @bridges \(reject)",
            "iifname @bridges oifname @isolated \(reject)",
            "iifname @host_only \(reject)",
            "oifname @host_only \(reject)",
            "iifname @nat_bridges accept",
            "oifname @nat_bridges ct state established,related accept",
            "oifname @nat_bridges \(reject)",
        ])
        out += chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;", [
            "ip saddr @nat_subnets ip daddr != @nat_subnets masquerade",
        ])
        out += "}\n"
        return out + changes(to: elements(networks, allBridges: allBridges), from: [:])
    }

    /// Moves the sets from the elements of `previous` to those of `networks`, re-adding all of
    /// `touched`'s elements (the networks this command brings up).
    public static func update(
        _ networks: [NetworkRecord], allBridges: [String], previous: [NetworkRecord], previousBridges: [String], touched: [NetworkRecord]
    ) -> String {
        let wanted = elements(networks, allBridges: allBridges)
        let refresh = elements(touched, allBridges: [])
        return changes(to: wanted, from: elements(previous, allBridges: previousBridges), refreshing: refresh)
    }

    private static func changes(to wanted: [SetName: Set<String>], from old: [SetName: Set<String>], refreshing refresh: [SetName: Set<String>] = [:]) -> String {
        var out = ""
        for set in SetName.allCases {
            let gone = (old[set] ?? []).subtracting(wanted[set] ?? [])
            if !gone.isEmpty { out += "delete element \(table) \(set.rawValue) { \(gone.sorted().joined(separator: ", ")) }\n" }
        }
        for set in SetName.allCases {
            let mine = wanted[set] ?? []
            let adds = mine.subtracting(old[set] ?? []).union((refresh[set] ?? []).intersection(mine))
            if !adds.isEmpty { out += "add element \(table) \(set.rawValue) { \(adds.sorted().joined(separator: ", ")) }\n" }
        }
        return out
    }

    private static func chain(_ name: String, _ hook: String, _ rules: [String]) -> String {
        "\tchain \(name) {\n\t\t\(hook)\n" + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n"
    }
}
