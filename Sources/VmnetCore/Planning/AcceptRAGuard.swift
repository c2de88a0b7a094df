/// Whether vmnet may turn IPv6 forwarding on, and what it must do first: the decision that
/// protects the host's own IPv6 default route (see `IPv6ForwardingState`). vmnet never sets
/// accept_ra behind the user's back: it refuses unless asked (`--fix-accept-ra`).
public struct AcceptRAGuard: Equatable, Sendable {
    /// Whether `net.ipv6.conf.all.forwarding` is to be turned on.
    public let enablesForwarding: Bool
    /// The interfaces that get `accept_ra=2` before forwarding goes on.
    public let acceptRA2: [String]

    public init(enablesForwarding: Bool = false, acceptRA2: [String] = []) {
        self.enablesForwarding = enablesForwarding
        self.acceptRA2 = acceptRA2
    }

    /// Nothing to do: no network needs forwarding, or it is on already.
    public static let unchanged = AcceptRAGuard()

    /// The networks that need IPv6 forwarding: NAT with IPv6. Host-only networks do not
    /// forward, for IPv6 as for IPv4, and a network with IPv6 off never needs it.
    public static func needing(_ records: [NetworkRecord]) -> [NetworkName] {
        records.filter { $0.mode == .nat && $0.subnet6 != nil }.map(\.name)
    }

    /// The decision for bringing up `needing` (the networks that forward IPv6, in order),
    /// given the host's state; throws, before anything changed, when forwarding would take
    /// a default route away and `fix` was not given.
    public static func decide(needing: [NetworkName], host: IPv6ForwardingState, fix: Bool) throws(VmnetError) -> AcceptRAGuard {
        guard let first = needing.first, !host.forwarding else { return .unchanged }
        let endangered = host.dependsOnAdvertisements
        guard endangered.isEmpty || fix else { throw refusal(first, endangered) }
        return AcceptRAGuard(enablesForwarding: true, acceptRA2: endangered)
    }

    static func refusal(_ network: NetworkName, _ interfaces: [String]) -> VmnetError {
        let named = interfaces.joined(separator: ", ")
        let (takes, its) = interfaces.count == 1 ? ("takes its default route", "its") : ("take their default routes", "their")
        return .conflict(
            "turning on IPv6 forwarding for '\(network)': \(named) \(takes) from router advertisements, which forwarding makes "
                + "\(interfaces.count == 1 ? "it" : "them") ignore (accept_ra=1): pass --fix-accept-ra to set \(its) accept_ra to 2, "
                + "or keep the network IPv4 only (\"ipv6\": \"off\" in its profile, or create --no-ipv6)")
    }

    /// The line that tells the user what `--fix-accept-ra` changed.
    public var notice: String? {
        acceptRA2.isEmpty ? nil : "set " + acceptRA2.map { "net.ipv6.conf.\($0).accept_ra=2" }.joined(separator: ", ")
            + " so the host keeps its router-advertised default route with IPv6 forwarding on"
    }
}
