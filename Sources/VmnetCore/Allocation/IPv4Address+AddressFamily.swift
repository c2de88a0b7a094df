extension IPv4Address: AddressFamily {
    public static let qualifier = ""
    public static let ipOption = "-4"
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
    public static var privateRanges: [IPv4Subnet] { PrivateRanges.ranges }
    public static let publicSpace = (
        outside: "public address space (outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and 198.18.0.0/15)",
        advice: "choose a private subnet, or pass --allow-public if you own it")
    public static func subnet(of network: NetworkRecord) -> IPv4Subnet? { network.subnet }
}
