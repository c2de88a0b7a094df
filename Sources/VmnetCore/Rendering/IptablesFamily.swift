/// What an address family changes in vmnet's iptables rules: the program's built-in chains
/// it jumps from, its reject, its DHCP server port and the ICMP the host must accept. The
/// chains, the decisions and their order are `IptablesRuleset`'s, once for both.
public protocol IptablesFamily: AddressFamily {
    /// The built-in chains vmnet's chains are reached from, in the order the tables and
    /// chains are written.
    static var iptablesJumps: [IptablesRuleset.Jump] { get }
    /// The program's name in messages: "" for iptables, "ip6tables ".
    static var iptablesLabel: String { get }
    /// `--reject-with`'s argument.
    static var rejectWith: String { get }
    static var dhcp: (name: String, serverPort: Int) { get }
    /// The family's extra accepts from a bridge's guests to the host, as VMNET-INPUT rules.
    static func hostAccepts(from bridge: String) -> [String]
    /// Ping from a bridge's guests when the host shields itself (`host_access=services`),
    /// beyond `hostAccepts`.
    static func pingAccepts(from bridge: String) -> [String]
    /// The destinations `egress=internet` refuses.
    static var egressBlockedRanges: [String] { get }
    /// Whether DHCP replies get their checksum filled (mangle): only IPv4's clients need it.
    static var fillsDHCPChecksum: Bool { get }
    /// Whether port forwards apply: their targets are IPv4 addresses.
    static var carriesPortForwards: Bool { get }
    static func gateway(of network: NetworkRecord) -> Self?
}
