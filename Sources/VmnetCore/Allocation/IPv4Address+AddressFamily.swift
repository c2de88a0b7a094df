extension IPv4Address: AddressFamily {
    public static let qualifier = ""
    public static var routes: KeyPath<HostSnapshot, [HostRoute<IPv4Address>]> { \.routes }
    public static var addresses: KeyPath<HostSnapshot, [InterfaceAddress<IPv4Address>]> { \.addresses }
    public static var foreignNetworks: KeyPath<HostSnapshot, [ForeignNetwork<IPv4Address>]> { \.foreignNetworks }
    public static var nameservers: KeyPath<HostSnapshot, [IPv4Address]> { \.nameservers }
    /// A VPN's 0.0.0.0/1 + 128.0.0.0/1 split is shorter.
    public static let shortestClaimedRoute = 8
    public static let unclaimedRouteTypes = ["multicast", "local", "broadcast"]
    public static let linkLocal: IPv4Subnet? = nil
    public static let maximumSlotBits = 32
    public static let exhaustionAdvice = "add a pool to the profile or destroy unused networks"
    public static func subnet(of network: NetworkRecord) -> IPv4Subnet? { network.subnet }
}
