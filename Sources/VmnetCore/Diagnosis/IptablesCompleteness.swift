/// Whether `iptables-save` output still holds vmnet's jumps and a network's key rules
/// (iptables-save spells rules its own way, so these are matched by their parts).
public enum IptablesCompleteness {
    /// `save`: the family's `iptables-save` or `ip6tables-save` output; nothing is missing
    /// for a network without an address of the family.
    public static func missing<Address: IptablesFamily>(of family: Address.Type, for network: NetworkRecord, save: String) -> [String] {
        guard let subnet = Address.subnet(of: network) else { return [] }
        return missing(network.bridge, subnet: network.mode == .nat ? subnet.description : nil, dhcp: (Address.dhcp.name, Address.dhcp.serverPort),
                       jumps: Address.iptablesJumps, label: Address.iptablesLabel, has: rules(save))
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
