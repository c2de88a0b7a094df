/// The ip6tables side: DHCPv6 and neighbour discovery in place of DHCP, NAT66 masquerade,
/// no port forwards (those stay IPv4).
extension IPv6Address: IptablesFamily {
    public static let iptablesJumps = IPv4Address.iptablesJumps.filter { $0.table == "filter" || ($0.table == "nat" && $0.builtinChain == "POSTROUTING") }
    public static let iptablesLabel = "ip6tables "
    public static let rejectWith = "icmp6-adm-prohibited"
    public static let dhcp = (name: "DHCPv6", serverPort: 547)

    /// ICMPv6 types a bridge's guests send the host (as ip6tables-save spells them): router
    /// solicitation and advertisement, neighbour solicitation and advertisement, echo request.
    public static let icmpv6Accepted = [133, 134, 135, 136, 128]

    public static func hostAccepts(from bridge: String) -> [String] {
        icmpv6Accepted.map { "-A VMNET-INPUT -i \(bridge) -p ipv6-icmp --icmpv6-type \($0) -j ACCEPT" }
    }

    /// Echo request is one of `hostAccepts` already.
    public static func pingAccepts(from bridge: String) -> [String] { [] }
    public static let egressBlockedRanges = EgressPolicy.privateRanges6

    public static let fillsDHCPChecksum = false
    public static let carriesPortForwards = false
    public static func gateway(of network: NetworkRecord) -> IPv6Address? { network.gateway6 }
}
