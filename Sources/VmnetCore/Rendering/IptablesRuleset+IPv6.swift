/// The ip6tables side of vmnet's iptables rules, for the networks that have IPv6: the same
/// chains and the same decisions as `render`, with DHCPv6 and neighbour discovery in place
/// of DHCP, NAT66 masquerade and no port forwards (those stay IPv4).
extension IptablesRuleset {
    public static let jumps6: [Jump] = jumps.filter { $0.table == "filter" || ($0.table == "nat" && $0.builtinChain == "POSTROUTING") }

    /// ICMPv6 types a bridge's guests send the host (as ip6tables-save spells them): router
    /// solicitation and advertisement, neighbour solicitation and advertisement, echo request.
    public static let icmpv6Accepted = [133, 134, 135, 136, 128]

    /// `ip6tables-restore --noflush` input; nil when no network has IPv6 (then vmnet keeps no
    /// ip6tables rule at all).
    public static func render6(_ networks: [NetworkRecord], allBridges: [String]) -> String? {
        let networks = networks.sorted { $0.name < $1.name }
        let dual = networks.filter(\.hasIPv6)
        guard !dual.isEmpty else { return nil }
        let reject = "-j REJECT --reject-with icmp6-adm-prohibited"
        let bridges = Array(Set(allBridges + networks.map(\.bridge))).sorted()
        var input: [String] = []
        var forward: [String] = []
        let isolatedBridges = Set(networks.filter(\.isolation).map(\.bridge))
        for network in dual {
            guard let gateway = network.gateway6 else { continue }
            for other in bridges where other != network.bridge && (network.isolation || isolatedBridges.contains(other)) {
                input.append("-A VMNET-INPUT -i \(other) -d \(gateway) \(reject)")
            }
        }
        input.append("-A VMNET-INPUT -i lo -j RETURN")
        for network in dual {
            guard let gateway = network.gateway6 else { continue }
            input += [
                "-A VMNET-INPUT ! -i \(network.bridge) -d \(gateway) -p udp -m multiport --dports 53,547 \(reject)",
                "-A VMNET-INPUT ! -i \(network.bridge) -d \(gateway) -p tcp --dport 53 \(reject)",
            ]
        }
        for network in dual {
            let bridge = network.bridge
            input += [
                "-A VMNET-INPUT -i \(bridge) -p udp --dport 547 -j ACCEPT",
                "-A VMNET-INPUT -i \(bridge) -p udp --dport 53 -j ACCEPT",
                "-A VMNET-INPUT -i \(bridge) -p tcp --dport 53 -j ACCEPT",
            ] + icmpv6Accepted.map { "-A VMNET-INPUT -i \(bridge) -p ipv6-icmp --icmpv6-type \($0) -j ACCEPT" }
        }
        // Bridged frames pass FORWARD too (br_netfilter): guests of one bridge keep talking
        // (link-local at least) whether their network has IPv6 or not.
        forward += networks.map { "-A VMNET-FORWARD -i \($0.bridge) -o \($0.bridge) -j ACCEPT" }
        // Isolation holds for every isolated network, with IPv6 or not: a guest of a network
        // without IPv6 could still route through the host's link-local address.
        forward += isolation(networks, bridges: bridges, reject: reject)
        for network in dual where network.mode == .hostOnly {
            forward += ["-A VMNET-FORWARD -i \(network.bridge) \(reject)", "-A VMNET-FORWARD -o \(network.bridge) \(reject)"]
        }
        var nat: [String] = []
        for network in dual where network.mode == .nat {
            guard let subnet = network.subnet6 else { continue }
            forward += [
                "-A VMNET-FORWARD -i \(network.bridge) -s \(subnet) -j ACCEPT",
                "-A VMNET-FORWARD -o \(network.bridge) -d \(subnet) -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            ]
            nat.append("-A VMNET-POSTROUTING -s \(subnet) ! -d \(subnet) -j MASQUERADE")
        }
        // A NAT network without IPv6 forwards none (see NftRuleset).
        for network in networks where network.mode == .nat {
            forward += ["-A VMNET-FORWARD -i \(network.bridge) \(reject)", "-A VMNET-FORWARD -o \(network.bridge) \(reject)"]
        }
        let lines = ["*filter", ":VMNET-INPUT - [0:0]", ":VMNET-FORWARD - [0:0]"] + input + forward
            + ["COMMIT", "*nat", ":VMNET-POSTROUTING - [0:0]"] + nat + ["COMMIT"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `*-restore --noflush` input that removes `jumps` and their chains, as far as `saved`
    /// (the `*-save` output) holds them; nil when it holds none. One process instead of a
    /// delete, flush and removal per chain.
    public static func removal(saved: String, jumps: [Jump]) -> String? {
        var table = ""
        var deletions: [String: [String]] = [:]
        var chains: [String: [String]] = [:]
        for line in saved.split(separator: "\n").map(String.init) {
            if line.hasPrefix("*") { table = String(line.dropFirst()) }
            for jump in jumps where jump.table == table {
                if line == "-A \(jump.builtinChain) -j \(jump.target)" { deletions[table, default: []].append("-D \(jump.builtinChain) -j \(jump.target)") }
                if line.hasPrefix(":\(jump.target) ") { chains[table, default: []].append(jump.target) }
            }
        }
        let tables = Set(deletions.keys).union(chains.keys).sorted()
        guard !tables.isEmpty else { return nil }
        return tables.map { table in
            let owned = chains[table] ?? []
            return (["*\(table)"] + (deletions[table] ?? []) + owned.map { "-F \($0)" } + owned.map { "-X \($0)" } + ["COMMIT"]).joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }
}
