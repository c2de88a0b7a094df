/// Where a network's dnsmasq forwards names it does not know.
public enum DNSUpstream: Hashable, Sendable {
    /// systemd-resolved's stub when it listens, otherwise the host's resolv.conf nameservers.
    case auto
    case servers([IPv4Address])
}
