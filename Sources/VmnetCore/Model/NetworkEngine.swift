/// What carries a network: a Linux bridge with its own dnsmasq on this host, or OVN's
/// logical switch and router spanning the cluster's hosts.
public enum NetworkEngine: String, Hashable, Sendable {
    case bridge
    case ovn
}
