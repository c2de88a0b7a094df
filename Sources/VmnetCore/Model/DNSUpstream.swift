import JSON

/// Where a network's dnsmasq forwards names it does not know.
public enum DNSUpstream: Hashable, Sendable {
    /// systemd-resolved's stub when it listens, otherwise the host's resolv.conf nameservers.
    case auto
    case servers([IPv4Address])
}

extension DNSUpstream {
    /// `"auto"` or an array of addresses, as profiles, records and reports write it.
    public var json: JSONValue {
        switch self {
        case .auto: return "auto"
        case .servers(let servers): return .array(servers.map { .string($0.description) })
        }
    }
}
