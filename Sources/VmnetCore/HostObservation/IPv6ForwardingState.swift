/// What decides whether turning IPv6 forwarding on would cost the host its own IPv6 default
/// route: with `net.ipv6.conf.all.forwarding` on, an interface with `accept_ra=1` ignores
/// router advertisements. Measured on kernel 6.18: turning forwarding on removed such an
/// interface's router-advertised default route at once, and later advertisements were
/// ignored; with `accept_ra=2` the route stayed and was refreshed.
public struct IPv6ForwardingState: Equatable, Sendable {
    /// `net.ipv6.conf.all.forwarding`.
    public var forwarding: Bool
    /// The interfaces holding a default route learned from router advertisements (`proto ra`).
    public var raDefaultRoutes: [String]
    /// `net.ipv6.conf.IF.accept_ra` of those interfaces (absent when it could not be read).
    public var acceptRA: [String: Int]

    public init(forwarding: Bool = false, raDefaultRoutes: [String] = [], acceptRA: [String: Int] = [:]) {
        self.forwarding = forwarding
        self.raDefaultRoutes = raDefaultRoutes
        self.acceptRA = acceptRA
    }

    /// The interfaces whose default route depends on accepting advertisements that
    /// forwarding makes them ignore (accept_ra 1), sorted.
    public var dependsOnAdvertisements: [String] {
        raDefaultRoutes.filter { acceptRA[$0] == 1 }.sorted()
    }
}
