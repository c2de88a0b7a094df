/// What `vmnet doctor` (and `show`/`list`) read from the host once, for every network.
public struct HostObservation: Sendable {
    /// Addresses and interfaces; routes and other tools' networks when read for doctor.
    public var host: HostSnapshot
    /// Every IPv4 UDP socket and TCP socket of the namespace.
    public var sockets: [SocketEntry]
    /// The socket inodes held by each network's own dnsmasq; a running one is missing when
    /// its sockets could not be read (not root). Nil when not read at all (`list` and
    /// `show`: reading every dnsmasq's descriptors cost more than the rest of `list`):
    /// sockets are then judged by address, and wildcard ones by count.
    public var dnsmasqSockets: [NetworkName: Set<UInt64>]?
    /// How many vmnet dnsmasq instances run (each holds one 0.0.0.0:67 socket, bound to its bridge).
    public var runningDnsmasqs: Int
    /// False when some running vmnet dnsmasq's sockets could not be read: then no wildcard
    /// listener can be called foreign.
    public var seesAllSockets: Bool
    /// Who holds a wildcard DHCP or DNS socket that no vmnet dnsmasq holds ("python3, pid 42").
    public var socketOwners: [UInt64: String]
    public var ipForwarding: Bool
    public var ipv6Forwarding: Bool
    /// The table's contents, or nil when `inet vmnet` does not exist.
    public var nftTable: NftTableState?
    /// `iptables-save` output, when some network uses iptables.
    public var iptablesSave: String?
    /// The user dnsmasq drops to.
    public var dnsmasqUser: (name: String, uid: UInt32, gid: UInt32)
    /// `ip6tables-save` output, when some network using iptables has IPv6.
    public var ip6tablesSave: String?

    public init(
        host: HostSnapshot = HostSnapshot(), sockets: [SocketEntry] = [], dnsmasqSockets: [NetworkName: Set<UInt64>]? = [:], runningDnsmasqs: Int = 1,
        seesAllSockets: Bool = true, socketOwners: [UInt64: String] = [:], ipForwarding: Bool = true, ipv6Forwarding: Bool = true, nftTable: NftTableState? = nil, iptablesSave: String? = nil,
        dnsmasqUser: (name: String, uid: UInt32, gid: UInt32) = ("nobody", 65534, 65534)
    ) {
        self.host = host
        self.sockets = sockets
        self.dnsmasqSockets = dnsmasqSockets
        self.runningDnsmasqs = runningDnsmasqs
        self.seesAllSockets = seesAllSockets
        self.socketOwners = socketOwners
        self.ipForwarding = ipForwarding
        self.ipv6Forwarding = ipv6Forwarding
        self.nftTable = nftTable
        self.iptablesSave = iptablesSave
        self.dnsmasqUser = dnsmasqUser
    }
}
