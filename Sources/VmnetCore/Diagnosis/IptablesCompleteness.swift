/// Whether `iptables-save` output still holds vmnet's jumps and a network's key rules
/// (iptables-save spells rules its own way, so these are matched by their parts).
public enum IptablesCompleteness {
    /// `save`: the family's `iptables-save` or `ip6tables-save` output; nothing is missing
    /// for a network without an address of the family.
    public static func missing<Address: IptablesFamily>(of family: Address.Type, for network: NetworkRecord, save: String) -> [String] {
        guard let subnet = Address.subnet(of: network) else { return [] }
        let has = rules(save)
        return missing(network.bridge, subnet: network.mode == .nat ? subnet.description : nil, dhcp: (Address.dhcp.name, Address.dhcp.serverPort),
                       jumps: Address.iptablesJumps, label: Address.iptablesLabel, has: has)
            + missingPolicy(network, label: Address.iptablesLabel, has: has)
    }

    /// The policy's closing rules: the shield's REJECT on the host, and egress' REJECT of new
    /// flows (the accepts of a list come before it; without the reject they say nothing).
    private static func missingPolicy(_ network: NetworkRecord, label: String, has: (String, (Substring) -> Bool) -> Bool) -> [String] {
        let bridge = network.bridge
        var missing: [String] = []
        if network.hostAccess.shields, !has("filter", { $0.hasPrefix("-A VMNET-INPUT -i \(bridge) -j REJECT") }) {
            missing.append("the shield of \(bridge) (host_access=\(network.hostAccess)) in \(label)VMNET-INPUT")
        }
        let rejectsNew = { (rule: Substring) in
            rule.hasPrefix("-A VMNET-FORWARD ") && rule.contains(" -i \(bridge) ") && rule.contains("--ctstate NEW -j REJECT")
        }
        if network.mode == .nat, network.egress != .all, !has("filter", rejectsNew) {
            missing.append("the egress rules of \(bridge) (egress=\(network.egress)) in \(label)VMNET-FORWARD")
        }
        return missing
    }

    /// `subnet`: a NAT network's, whose masquerade must be there.
    private static func missing(_ bridge: String, subnet: String?, dhcp: (name: String, port: Int), jumps: [IptablesRuleset.Jump], label: String,
                                has: (String, (Substring) -> Bool) -> Bool) -> [String] {
        var missing = jumps.filter { jump in !has(jump.table, { $0 == "-A \(jump.builtinChain) -j \(jump.target)" }) }
            .map { "the \(label)jump from \($0.table) \($0.builtinChain) to \($0.target)" }
        if !has("filter", { $0.hasPrefix("-A VMNET-INPUT -i \(bridge) ") && $0.contains("--dport \(dhcp.port)") }) {
            missing.append("the \(dhcp.name) accept for \(bridge) in \(label)VMNET-INPUT")
        }
        if !has("filter", { $0 == "-A VMNET-FORWARD -i \(bridge) -o \(bridge) -j ACCEPT" }) {
            missing.append("the forwarding rules of \(bridge) in \(label)VMNET-FORWARD")
        }
        if let subnet, !has("nat", { $0.hasPrefix("-A VMNET-POSTROUTING -s \(subnet) ") && $0.hasSuffix("-j MASQUERADE") }) {
            missing.append("the masquerade of \(subnet) in \(label)VMNET-POSTROUTING")
        }
        return missing
    }

    /// A test of whether a table holds a rule, over the `-A` lines of each table.
    private static func rules(_ save: String) -> (String, (Substring) -> Bool) -> Bool {
        var table = ""
        var lines: [String: [Substring]] = [:]
        for line in save.split(separator: "\n") {
            if line.hasPrefix("*") { table = String(line.dropFirst()) } else if line.hasPrefix("-A ") { lines[table, default: []].append(line) }
        }
        return { table, test in lines[table, default: []].contains(where: test) }
    }
}
