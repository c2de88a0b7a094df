/// Renders vmnet's whole nftables table. The text replaces the table in one atomic `nft -f`
/// transaction, so applying it twice leaves exactly the same rules, and an `--all` change
/// costs one transaction however many networks it touches.
public enum NftRuleset {
    public static let table = "inet vmnet"

    /// `networks`: the enabled networks whose firewall is nftables. `allBridges`: every enabled
    /// vmnet bridge, whatever its firewall, so isolation holds across backends.
    public static func render(_ networks: [NetworkRecord], allBridges: [String]) -> String {
        let networks = networks.sorted { $0.name < $1.name }
        // Creating then deleting makes the delete safe when the table does not exist yet.
        var out = "table \(table)\ndelete table \(table)\n"
        guard !networks.isEmpty else { return out }
        let isolated = networks.filter(\.isolation).map(\.bridge)
        let nat = networks.filter { $0.mode == .nat }
        let hostOnly = networks.filter { $0.mode == .hostOnly }
        let reject = "reject with icmpx type admin-prohibited"

        out += "table \(table) {\n"
        out += set("bridges", Array(Set(allBridges + networks.map(\.bridge))).sorted())
        out += set("isolated", isolated.sorted())

        out += chain("input", hook: "type filter hook input priority filter; policy accept;", rules: networks.flatMap { network in
            [
                "iifname \(quoted(network.bridge)) udp dport 67 accept",
                "iifname \(quoted(network.bridge)) meta l4proto { tcp, udp } th dport 53 accept",
            ]
        })

        var forward: [String] = networks.map { "iifname \(quoted($0.bridge)) oifname \(quoted($0.bridge)) accept" }
        if !isolated.isEmpty {
            forward += [
                "iifname @isolated oifname @bridges \(reject)",
                "iifname @bridges oifname @isolated \(reject)",
            ]
        }
        forward += hostOnly.flatMap { ["iifname \(quoted($0.bridge)) \(reject)", "oifname \(quoted($0.bridge)) \(reject)"] }
        forward += nat.flatMap { network in
            [
                "iifname \(quoted(network.bridge)) ip saddr \(network.subnet) accept",
                "oifname \(quoted(network.bridge)) ip daddr \(network.subnet) ct state established,related accept",
            ]
        }
        forward += nat.flatMap { ["iifname \(quoted($0.bridge)) \(reject)", "oifname \(quoted($0.bridge)) \(reject)"] }
        out += chain("forward", hook: "type filter hook forward priority filter; policy accept;", rules: forward)

        if !nat.isEmpty {
            out += chain("postrouting", hook: "type nat hook postrouting priority srcnat; policy accept;", rules: nat.map {
                "ip saddr \($0.subnet) ip daddr != \($0.subnet) masquerade"
            })
        }
        out += "}\n"
        return out
    }

    private static func quoted(_ name: String) -> String { "\"\(name)\"" }

    private static func set(_ name: String, _ elements: [String]) -> String {
        var text = "\tset \(name) {\n\t\ttype ifname\n"
        if !elements.isEmpty { text += "\t\telements = { \(elements.map(quoted).joined(separator: ", ")) }\n" }
        return text + "\t}\n"
    }

    private static func chain(_ name: String, hook: String, rules: [String]) -> String {
        "\tchain \(name) {\n\t\t\(hook)\n" + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n"
    }
}
