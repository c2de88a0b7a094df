extension IPv6Address: AddressFamily {
    public static let qualifier = "IPv6 "
    public static let ipOption = "-6"
    public static var routes: KeyPath<HostSnapshot, [HostRoute<IPv6Address>]> { \.routes6 }
    public static var addresses: KeyPath<HostSnapshot, [InterfaceAddress<IPv6Address>]> { \.addresses6 }
    public static var foreignNetworks: KeyPath<HostSnapshot, [ForeignNetwork<IPv6Address>]> { \.foreignNetworks6 }
    public static var nameservers: KeyPath<HostSnapshot, [IPv6Address]> { \.nameservers6 }
    /// A VPN's ::/1 + 8000::/1 or 2000::/3 is shorter.
    public static let shortestClaimedRoute = 16
    public static let unclaimedRouteTypes = ["multicast", "local", "anycast", "broadcast"]
    /// fe80::/10: every interface has one; it never collides with a routed prefix.
    public static let linkLocal: IPv6Subnet? = IPv6Subnet("fe80::/10")!
    /// A /48's worth of /64s.
    public static let maximumSlotBits = 16
    public static let exhaustionAdvice = "add an IPv6 pool to the profile, set \"ipv6\": \"off\", or destroy unused networks"
    public static var privateRanges: [IPv6Subnet] { [PrivateRanges.uniqueLocal] }
    public static let publicSpace = (
        outside: "outside the unique local range fc00::/7",
        advice: "choose an fd00::/8 prefix, or pass --allow-public if it is delegated to you")
    public static func subnet(of network: NetworkRecord) -> IPv6Subnet? { network.subnet6 }
}
