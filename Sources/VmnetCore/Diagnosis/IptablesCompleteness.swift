/// Whether `iptables-save` output still holds vmnet's jumps and a network's key rules
/// (iptables-save spells rules its own way, so these are matched by their parts).
public enum IptablesCompleteness {
    public static func missing(for network: NetworkRecord, save: String) -> [String] {
        var table = ""
        var lines: [String: [Substring]] = [:]
        for line in save.split(separator: "\n") {
            if line.hasPrefix("*") { table = String(line.dropFirst()) } else if line.hasPrefix("-A ") { lines[table, default: []].append(line) }
        }
        func has(_ table: String, _ test: (Substring) -> Bool) -> Bool { lines[table, default: []].contains(where: test) }
        var missing: [String] = []
        for jump in IptablesRuleset.jumps where !has(jump.table, { $0 == "-A \(jump.builtinChain) -j \(jump.target)" }) {
            missing.append("the jump from \(jump.table) \(jump.builtinChain) to \(jump.target)")
        }
        let bridge = network.bridge
        if !has("filter", { $0.hasPrefix("-A VMNET-INPUT -i \(bridge) ") && $0.contains("--dport 67") }) {
            missing.append("the DHCP accept for \(bridge) in VMNET-INPUT")
        }
        if !has("filter", { $0 == "-A VMNET-FORWARD -i \(bridge) -o \(bridge) -j ACCEPT" }) {
            missing.append("the forwarding rules of \(bridge) in VMNET-FORWARD")
        }
        if network.mode == .nat, !has("nat", { $0.hasPrefix("-A VMNET-POSTROUTING -s \(network.subnet) ") && $0.hasSuffix("-j MASQUERADE") }) {
            missing.append("the masquerade of \(network.subnet) in VMNET-POSTROUTING")
        }
        return missing
    }
}
