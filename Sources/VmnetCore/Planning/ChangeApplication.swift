/// How one changed setting reaches a running network. Listed in the order the shell performs
/// them; a network that is down needs none of them (its next `up` renders everything anew).
public enum ChangeApplication: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The record alone changes.
    case recordOnly
    /// The bridge (and its keeper port, which would otherwise pull the bridge's MTU down) by netlink.
    case bridgeMTU
    /// Files dnsmasq re-reads on SIGHUP (host lists, servers-file, dhcp-optsfile); the pid stays.
    case dnsmasqReload
    /// The main configuration, which dnsmasq reads only at start; the lease file stays.
    case dnsmasqRestart
    /// vmnet's rules, rewritten by the network's firewall backend.
    case firewallRules
    /// A new subnet: the network is taken down and brought up on it; guests must renew.
    case readdress

    public var description: String {
        switch self {
        case .recordOnly: return "recorded"
        case .bridgeMTU: return "bridge MTU set"
        case .dnsmasqReload: return "applied by SIGHUP"
        case .dnsmasqRestart: return "dnsmasq restarted (leases kept)"
        case .firewallRules: return "firewall rules updated"
        case .readdress: return "network brought up on the new subnet (guests must renew their leases)"
        }
    }
}
