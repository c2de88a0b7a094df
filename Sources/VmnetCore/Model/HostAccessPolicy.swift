/// What a network's guests may reach on the host itself (any of its addresses).
public enum HostAccessPolicy: Hashable, Sendable, CustomStringConvertible {
    /// DHCP, DNS and ping; replies to what the host started. New networks get it.
    case services
    /// Every port of the host, as before the policy existed (records without one read so).
    case all
    /// `services` plus these ports.
    case ports([PolicyPort])

    public static let allowed = "services, all, or a list of ports such as 22,8000-8100/tcp,53/udp"

    /// Parses `services`, `all` or a comma-separated list of `PolicyPort`s.
    public init(_ text: String) throws(VmnetError) {
        switch text {
        case "services": self = .services
        case "all": self = .all
        default:
            self = .ports(try PolicyList.parse(text, allowed: HostAccessPolicy.allowed, item: PolicyPort.init, overlap: { $0.overlaps($1) }))
        }
    }

    /// Whether the host refuses guests all but its services (and the listed ports).
    public var shields: Bool { self != .all }

    public var ports: [PolicyPort] {
        guard case .ports(let ports) = self else { return [] }
        return ports
    }

    public var description: String {
        switch self {
        case .services: return "services"
        case .all: return "all"
        case .ports(let ports): return ports.map(\.description).joined(separator: ",")
        }
    }
}
