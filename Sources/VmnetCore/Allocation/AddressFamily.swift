/// What differs between IPv4 and IPv6 when vmnet looks for a subnet that collides with
/// nothing: where the snapshot keeps the family's observations, which routes and addresses
/// never count, how many slots a pool offers, which ranges are private and which subnet of
/// the family a network has.
/// Claims, allocation and collisions are written once over it.
public protocol AddressFamily: IPAddress {
    /// Put before "pool" and a prefix length in messages: "" for IPv4, "IPv6 ".
    static var qualifier: String { get }
    /// `ip`'s switch for the family.
    static var ipOption: String { get }
    static var routes: KeyPath<HostSnapshot, [HostRoute<Self>]> { get }
    static var addresses: KeyPath<HostSnapshot, [InterfaceAddress<Self>]> { get }
    static var foreignNetworks: KeyPath<HostSnapshot, [ForeignNetwork<Self>]> { get }
    static var nameservers: KeyPath<HostSnapshot, [Self]> { get }
    /// Routes shorter than this do not count: default routes and a VPN's split halves would
    /// otherwise block every private range.
    static var shortestClaimedRoute: Int { get }
    /// Route types that only mirror interface addresses (claimed as addresses) or claim nothing.
    static var unclaimedRouteTypes: [String] { get }
    /// Addresses every interface has that never collide with a routed prefix, if any.
    static var linkLocal: Subnet<Self>? { get }
    /// A pool offers at most 2^this slots; a larger one is probed in its first ones.
    static var maximumSlotBits: Int { get }
    /// What to do when every pool is taken.
    static var exhaustionAdvice: String { get }
    /// The ranges a subnet may come from without `--allow-public`.
    static var privateRanges: [Subnet<Self>] { get }
    /// What a subnet outside them is, and what to do instead.
    static var publicSpace: (outside: String, advice: String) { get }
    /// The network's subnet of this family, nil when it has none.
    static func subnet(of network: NetworkRecord) -> Subnet<Self>?
}
