/// Which firewall mechanism carries a network's rules.
public enum FirewallKind: String, CaseIterable, Sendable {
    case nftables
    case iptables
}
