/// What `vmnet watch` finds missing after the host's firewall changed, and the line it logs
/// for each network it repairs. A check that finds nothing missing repairs nothing, so the
/// events of vmnet's own repair end in silence instead of another repair.
public enum FirewallRepair {
    /// vmnet's own rules the network lacks, from its firewall's listing: nft's table state,
    /// or `iptables-save` (and `ip6tables-save`) output. A network that is down lacks nothing,
    /// and neither does one whose iptables listing could not be read (repairing it blindly
    /// would repeat on every event).
    public static func missingOwnRules(_ network: NetworkRecord, nftTable: NftTableState?, iptablesSave: String?, ip6tablesSave: String?) -> [String] {
        guard network.enabled else { return [] }
        switch network.firewall {
        case .nftables:
            return NftCompleteness.missing(for: network, in: nftTable)
        case .iptables:
            guard let iptablesSave else { return [] }
            return IptablesCompleteness.missing(of: IPv4Address.self, for: network, save: iptablesSave)
                + (ip6tablesSave.map { IptablesCompleteness.missing(of: IPv6Address.self, for: network, save: $0) } ?? [])
        }
    }

    /// "repaired: NET: what", with at most three of the missing parts named.
    public static func logLine(network: String, missing: [String]) -> String {
        let named = missing.prefix(3).joined(separator: ", ")
        let more = missing.count > 3 ? " and \(missing.count - 3) more" : ""
        return "repaired: \(network): \(named)\(more)"
    }
}
