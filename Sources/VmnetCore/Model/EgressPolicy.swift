/// Where a NAT network's guests may go through the host. Host-only networks forward nothing,
/// whatever their record says; other vmnet networks stay governed by `isolation`.
public enum EgressPolicy: Hashable, Sendable, CustomStringConvertible {
    /// Anywhere but private, CGNAT and link-local ranges (the laptop's LAN): the sandbox profile.
    case internet
    /// Anywhere, as before the policy existed (records without one read so; the shipped nat profile).
    case all
    /// Nowhere beyond the host: the gateway's services stay.
    case none
    /// Only these destinations.
    case destinations([EgressDestination])

    /// RFC 1918, shared address space (RFC 6598) and link-local: what `internet` refuses.
    public static let privateRanges4 = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]
    /// Unique local and link-local.
    public static let privateRanges6 = ["fc00::/7", "fe80::/10"]

    public static let allowed = "internet, all, none, or a list of destinations such as 192.168.1.10/32:5432/tcp,0.0.0.0/0:443"

    /// Parses a keyword or a comma-separated list of `EgressDestination`s.
    public init(_ text: String) throws(VmnetError) {
        switch text {
        case "internet": self = .internet
        case "all": self = .all
        case "none": self = .none
        default:
            self = .destinations(try PolicyList.parse(text, allowed: EgressPolicy.allowed, item: EgressDestination.init, overlap: { $0.overlaps($1) }))
        }
    }

    public var destinations: [EgressDestination] {
        guard case .destinations(let destinations) = self else { return [] }
        return destinations
    }

    public var description: String {
        switch self {
        case .internet: return "internet"
        case .all: return "all"
        case .none: return "none"
        case .destinations(let destinations): return destinations.map(\.description).joined(separator: ",")
        }
    }
}
