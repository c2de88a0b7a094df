/// A base chain of any nftables table, as `nft list chains` prints it: where it hooks and
/// its policy. A drop there is final for the packet whatever other tables accept.
public struct NftBaseChain: Equatable, Sendable {
    public let family: String
    public let table: String
    public let chain: String
    public let hook: String
    public let policy: String

    public init(family: String, table: String, chain: String, hook: String, policy: String) {
        self.family = family
        self.table = table
        self.chain = chain
        self.hook = hook
        self.policy = policy
    }

    /// "inet filter forward": how `nft` commands name it.
    public var name: String { "\(family) \(table) \(chain)" }

    /// Reads `nft list chains`; chains without a hook are skipped, a policy left out is accept.
    public static func parse(_ text: String) -> [NftBaseChain] {
        var family = "", table = "", chain = ""
        var found: [NftBaseChain] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
            guard let first = words.first else { continue }
            if first == "table", words.count >= 3 {
                family = words[1]
                table = words[2]
            } else if first == "chain", words.count >= 2 {
                chain = words[1]
            } else if first == "type", let hookIndex = words.firstIndex(of: "hook"), hookIndex + 1 < words.count {
                let policy = words.firstIndex(of: "policy").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? "accept"
                found.append(NftBaseChain(family: family, table: table, chain: chain, hook: words[hookIndex + 1], policy: policy))
            }
        }
        return found
    }

    /// The input and forward chains with a drop policy in tables vmnet does not handle: its
    /// own, the iptables-nft tables (`ip filter`, `ip6 filter`: handled through iptables) and
    /// firewalld's (handled through its zones). `ipv6`: some network has IPv6, so `ip6`
    /// tables count too.
    public static func foreignDrops(_ chains: [NftBaseChain], ipv6: Bool = false) -> [NftBaseChain] {
        chains.filter { chain in
            (chain.hook == "input" || chain.hook == "forward") && chain.policy == "drop"
                && (chain.family == "ip" || chain.family == "inet" || (ipv6 && chain.family == "ip6"))
                && !(chain.family == "inet" && (chain.table == "vmnet" || chain.table == "firewalld"))
                && !((chain.family == "ip" || chain.family == "ip6") && chain.table == "filter")
        }
    }

    /// The nft commands that let the networks' traffic through this chain.
    public func fix(for networks: [NetworkRecord]) -> String {
        let commands: [String] = networks.sorted { $0.name < $1.name }.flatMap { network -> [String] in
            let bridge = network.bridge
            if hook == "input" {
                // An ip6 chain sees no DHCP; an ip one no DHCPv6 or neighbour discovery.
                let ipv6 = network.hasIPv6 && family != "ip"
                let ports = ["53"] + (family == "ip6" ? [] : ["67"]) + (ipv6 ? ["547"] : [])
                var rules = ["nft insert rule \(name) iifname \"\(bridge)\" udp dport { \(ports.joined(separator: ", ")) } accept",
                             "nft insert rule \(name) iifname \"\(bridge)\" tcp dport 53 accept"]
                if ipv6 {
                    rules.append("nft insert rule \(name) iifname \"\(bridge)\" icmpv6 type { \(NftRuleset.icmpv6Accepted.joined(separator: ", ")) } accept")
                }
                return rules
            }
            var rules = ["nft insert rule \(name) iifname \"\(bridge)\" oifname \"\(bridge)\" accept"]
            if network.mode == .nat {
                rules += ["nft insert rule \(name) iifname \"\(bridge)\" accept",
                          "nft insert rule \(name) oifname \"\(bridge)\" ct state established,related accept"]
            }
            return rules
        }
        return commands.joined(separator: "; ")
    }

    /// The one warning line `create` and `up` print when foreign chains drop by default.
    public static func warning(_ drops: [NftBaseChain], networks: [NetworkRecord]) -> String? {
        guard !drops.isEmpty, !networks.isEmpty else { return nil }
        let names = drops.map { "'\($0.name)' (hook \($0.hook), policy drop)" }.joined(separator: ", ")
        let fixes = drops.map { $0.fix(for: networks) }.joined(separator: "; ")
        return "nftables chain \(names) drops vmnet's traffic and vmnet does not change other tables: \(fixes)"
    }
}
