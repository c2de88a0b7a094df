/// Decides the accepts vmnet adds to the host's iptables `filter` table when it would drop
/// vmnet's traffic, as libvirt does: DHCP and DNS on each bridge in INPUT; guest-to-guest on
/// one bridge, forwarding out of NAT bridges and established replies back in FORWARD. An
/// accept in the filter table ends that table's verdict only: vmnet's own rules (its nft
/// table, or its VMNET-FORWARD chain) still reject what vmnet forbids. Because these
/// accepts may run before VMNET-FORWARD (Docker puts its jump first again when it
/// restarts), they never accept anything vmnet forbids either: a NAT bridge's traffic to
/// another vmnet bridge RETURNs, and host-only bridges get nothing but their own bridging.
public enum IptablesCoexistence {
    public static let inputChain = "VMNET-COEXIST-IN"
    public static let forwardChain = "VMNET-COEXIST-FWD"
    /// Docker's chain for user rules: it jumps there from FORWARD and keeps it across restarts.
    public static let dockerUserChain = "DOCKER-USER"

    /// The plan for the enabled `networks`; `allBridges` are every vmnet bridge (enabled or
    /// not), whose traffic between one another must never be accepted here. `ipv6`: the
    /// table is ip6tables', where only the networks with IPv6 get accepts (port forwards
    /// stay IPv4). `elsewhere`: interfaces vmnet's traffic never crosses (other tools'
    /// bridges that carry no default route): a rule that only matches them (`-i`/`-o` one of
    /// them, as libvirt's `-o virbr0 -j REJECT`) drops nothing of vmnet's.
    public static func plan(
        _ table: IptablesFilterTable, networks: [NetworkRecord], allBridges: [String], ipv6: Bool = false, elsewhere: Set<String> = []
    ) -> IptablesCoexistencePlan {
        let networks = networks.sorted { $0.name < $1.name }.filter { !ipv6 || $0.hasIPv6 }
        let elsewhere = elsewhere.subtracting(allBridges + networks.map(\.bridge))
        let inputBlocker = networks.isEmpty ? nil : blocker(of: "INPUT", in: table, elsewhere: elsewhere)
        let forwardBlocker = networks.isEmpty ? nil : blocker(of: "FORWARD", in: table, elsewhere: elsewhere)
        // DOCKER-USER only helps when FORWARD reaches it before anything drops.
        let forwardRules = table.rules(of: "FORWARD")
        let dockerJump = forwardRules.firstIndex { $0.target == dockerUserChain }
        let useDocker = table.has(dockerUserChain)
            && dockerJump.map { forwardRules[..<$0].allSatisfy { !drops($0, in: table, elsewhere: elsewhere) } } ?? false
        let forwardHome = useDocker ? dockerUserChain : forwardChain
        let wantedInput = inputBlocker == nil ? [] : networks.flatMap { inputSpecs($0, ipv6: ipv6) }
        let bridges = Array(Set(allBridges + networks.map(\.bridge))).sorted()
        let wantedForward = forwardBlocker == nil ? [] : networks.flatMap { forwardSpecs($0, allBridges: bridges, ipv6: ipv6) } + (ipv6 ? [] : dnatSpecs(networks))

        var declared: [String] = []
        var deleted: [String] = []
        var appended: [String] = []
        var inserted: [String] = []
        var removedChains: [String] = []
        for (chain, wanted) in [(inputChain, wantedInput), (forwardChain, useDocker ? [] : wantedForward)] {
            if wanted.isEmpty {
                if table.has(chain) {
                    declared.append(":\(chain) - [0:0]")
                    removedChains.append("-X \(chain)")
                }
            } else if !table.has(chain) || table.rules(of: chain).map(\.spec) != wanted.map(words) {
                declared.append(":\(chain) - [0:0]")
                appended += wanted.map { "-A \(chain) \($0)" }
            }
        }
        // One jump each, from the top of the built-in chain (only vmnet's own chains ahead of it).
        for (builtin, chain, wanted) in [("INPUT", inputChain, !wantedInput.isEmpty), ("FORWARD", forwardChain, !useDocker && !wantedForward.isEmpty)] {
            let rules = table.rules(of: builtin)
            let mine = rules.filter(\.isVmnets)
            let jump = "-m comment --comment vmnet -j \(chain)"
            let ahead = rules.prefix { !$0.isVmnets }
            let inPlace = mine.count == 1 && mine[0].spec == words(jump) && ahead.allSatisfy { $0.target?.hasPrefix("VMNET-") == true }
            if wanted && inPlace { continue }
            deleted += mine.map(deletion)
            if wanted { inserted.append("-I \(builtin) 1 \(jump)") }
        }
        if table.has(dockerUserChain) {
            let rules = table.rules(of: dockerUserChain)
            let wanted = useDocker ? wantedForward : []
            let mine = rules.filter(\.isVmnets)
            let inPlace = mine.count == wanted.count && rules.prefix(wanted.count).map(\.spec) == wanted.map(words)
            if !inPlace {
                deleted += mine.map(deletion)
                inserted += wanted.enumerated().map { "-I \(dockerUserChain) \($0.offset + 1) \($0.element)" }
            }
        }
        let changes = declared + deleted + appended + inserted + removedChains
        let input = changes.isEmpty ? nil : (["*filter"] + changes + ["COMMIT"]).joined(separator: "\n") + "\n"
        return IptablesCoexistencePlan(
            restoreInput: input, inputBlocker: inputBlocker, forwardBlocker: forwardBlocker, forwardChain: forwardHome, owners: owners(of: table))
    }

    /// Why `chain` would drop traffic: a DROP/REJECT policy, or a DROP/REJECT rule in it or in
    /// a chain it jumps to (vmnet's own chains aside, and rules that only match interfaces
    /// in `elsewhere`); nil when nothing in it drops.
    public static func blocker(of chain: String, in table: IptablesFilterTable, elsewhere: Set<String> = []) -> String? {
        var visited: Set<String> = []
        return blocker(of: chain, in: table, elsewhere: elsewhere, visited: &visited)
    }

    private static func blocker(of chain: String, in table: IptablesFilterTable, elsewhere: Set<String>, visited: inout Set<String>) -> String? {
        visited.insert(chain)
        if let policy = table.policies[chain], policy == "DROP" || policy == "REJECT" { return "\(chain) policy \(policy)" }
        for rule in table.rules(of: chain) where !rule.isVmnets && !rule.onlyMatches(elsewhere) {
            guard let target = rule.target else { continue }
            if target == "DROP" || target == "REJECT" { return "a \(target) rule in \(chain)" }
            if table.policies[target] == "-", !target.hasPrefix("VMNET-"), !visited.contains(target),
               let found = blocker(of: target, in: table, elsewhere: elsewhere, visited: &visited) {
                return found
            }
        }
        return nil
    }

    /// True when the rule drops or rejects, itself or in the chain it jumps to.
    private static func drops(_ rule: IptablesFilterTable.Rule, in table: IptablesFilterTable, elsewhere: Set<String>) -> Bool {
        guard !rule.isVmnets, !rule.onlyMatches(elsewhere), let target = rule.target else { return false }
        if target == "DROP" || target == "REJECT" { return true }
        return table.policies[target] == "-" && !target.hasPrefix("VMNET-") && blocker(of: target, in: table, elsewhere: elsewhere) != nil
    }

    /// Who manages the table's drops, told by their chains.
    static func owners(of table: IptablesFilterTable) -> [String] {
        var owners: [String] = []
        if table.has(dockerUserChain) { owners.append("Docker") }
        if table.chains.contains(where: { $0.hasPrefix("ufw-") }) { owners.append("ufw") }
        return owners
    }

    /// DHCP (DHCPv6) and DNS to the host from the bridge; with IPv6 also neighbour discovery
    /// and ping.
    static func inputSpecs(_ network: NetworkRecord, ipv6: Bool = false) -> [String] {
        let bridge = network.bridge
        let comment = comment(network)
        let dhcpPort = ipv6 ? IPv6Address.dhcp.serverPort : IPv4Address.dhcp.serverPort
        return [
            "-i \(bridge) -p udp -m udp --dport \(dhcpPort) \(comment) -j ACCEPT",
            "-i \(bridge) -p udp -m udp --dport 53 \(comment) -j ACCEPT",
            "-i \(bridge) -p tcp -m tcp --dport 53 \(comment) -j ACCEPT",
        ] + (ipv6 ? IPv6Address.icmpv6Accepted.map { "-i \(bridge) -p ipv6-icmp -m icmp6 --icmpv6-type \($0) \(comment) -j ACCEPT" } : [])
    }

    /// Guests of one bridge reach each other; a NAT bridge's traffic to other vmnet bridges
    /// is left to the rules after these (RETURN), the rest goes out, and replies come back.
    static func forwardSpecs(_ network: NetworkRecord, allBridges: [String], ipv6: Bool = false) -> [String] {
        let bridge = network.bridge
        let comment = comment(network)
        var specs = ["-i \(bridge) -o \(bridge) \(comment) -j ACCEPT"]
        guard network.mode == .nat else { return specs }
        specs += allBridges.filter { $0 != bridge }.map { "-i \(bridge) -o \($0) \(comment) -j RETURN" }
        let subnet = ipv6 ? network.subnet6?.description ?? "" : network.subnet.description
        specs += [
            "-s \(subnet) -i \(bridge) \(comment) -j ACCEPT",
            "-d \(subnet) -o \(bridge) -m conntrack --ctstate RELATED,ESTABLISHED \(comment) -j ACCEPT",
        ]
        return specs
    }

    /// Port forwards' flows into NAT bridges (new connections, DNATed by vmnet's rules). Last,
    /// after every NAT bridge's RETURNs to other vmnet bridges, and after host-only bridges
    /// RETURN: what comes from another vmnet bridge is left to vmnet's own rules.
    static func dnatSpecs(_ networks: [NetworkRecord]) -> [String] {
        let nat = networks.filter { $0.mode == .nat }
        guard !nat.isEmpty else { return [] }
        return networks.filter { $0.mode == .hostOnly }.map { "-i \($0.bridge) \(comment($0)) -j RETURN" }
            + nat.map { "-d \($0.subnet) -o \($0.bridge) -m conntrack --ctstate DNAT \(comment($0)) -j ACCEPT" }
    }

    static func comment(_ network: NetworkRecord) -> String { "-m comment --comment \"vmnet:\(network.name)\"" }

    private static func deletion(_ rule: IptablesFilterTable.Rule) -> String {
        "-D " + rule.line.dropFirst(3)
    }

    private static func words(_ spec: String) -> [String] {
        (try? IptablesFilterTable.split(spec)) ?? []
    }
}
