/// What vmnet remembers about a network. Written before the effects it describes, so a later
/// `down` or `destroy` knows exactly what to undo. Everything a profile decided is copied in,
/// so editing a profile never changes an existing network behind the user's back.
public struct NetworkRecord: Hashable, Sendable, AddressedNetwork {
    public var name: NetworkName
    public var profile: String
    public var mode: NetworkMode
    public var subnet: IPv4Subnet
    /// The network's /64, or nil when IPv6 is off for it.
    public var subnet6: IPv6Subnet?
    public var planOffsets: AddressPlan.Offsets
    public var bridge: String
    public var mtu: Int?
    public var domain: String
    public var leaseTime: String
    public var dnsUpstream: DNSUpstream
    public var isolation: Bool
    public var firewall: FirewallKind
    /// Serve /etc/hosts and /etc/ethers too (the profile's `read_host_files`).
    public var readHostFiles: Bool
    /// Whether the user wants it up: `up` sets it, `down` clears it.
    public var enabled: Bool
    /// Whether `up --all` (the unit at boot) raises it. Independent of `enabled`: a network
    /// the user took down keeps it, as libvirt's autostart does.
    public var autostart: Bool
    /// Routes, NTP, search domains and boot file handed to guests; empty when none.
    public var dhcpOptions: DHCPOptions
    /// Extra names under the network's domain; empty when none.
    public var dnsRecords: [DNSRecord]
    /// What guests reach on the host, and where NAT guests may go (`HostAccessPolicy`, `EgressPolicy`).
    public var hostAccess: HostAccessPolicy
    public var egress: EgressPolicy
    /// The project file whose `vmnet apply` made it; nil for a network made by hand.
    public var owner: ProjectOwner?
    public var created: String

    public init(
        name: NetworkName, profile: String, mode: NetworkMode, subnet: IPv4Subnet, planOffsets: AddressPlan.Offsets,
        bridge: String, mtu: Int?, domain: String, leaseTime: String, dnsUpstream: DNSUpstream, isolation: Bool,
        firewall: FirewallKind, enabled: Bool, created: String, readHostFiles: Bool = false, subnet6: IPv6Subnet? = nil,
        autostart: Bool = true, dhcpOptions: DHCPOptions = DHCPOptions(), dnsRecords: [DNSRecord] = [],
        hostAccess: HostAccessPolicy = .all, egress: EgressPolicy = .all, owner: ProjectOwner? = nil
    ) {
        self.name = name
        self.profile = profile
        self.mode = mode
        self.subnet = subnet
        self.subnet6 = subnet6
        self.planOffsets = planOffsets
        self.bridge = bridge
        self.mtu = mtu
        self.domain = domain
        self.leaseTime = leaseTime
        self.dnsUpstream = dnsUpstream
        self.isolation = isolation
        self.firewall = firewall
        self.readHostFiles = readHostFiles
        self.enabled = enabled
        self.autostart = autostart
        self.dhcpOptions = dhcpOptions
        self.dnsRecords = dnsRecords
        self.hostAccess = hostAccess
        self.egress = egress
        self.owner = owner
        self.created = created
    }

    /// The subnet, then the /64 when there is one, as messages print them.
    public var subnetDescriptions: [String] { [subnet.description] + (subnet6.map { [$0.description] } ?? []) }
    /// The MTU set on the bridge and forced on DHCP clients; 1500 when none was chosen.
    public var effectiveMTU: Int { mtu ?? 1500 }
    /// Whether the host's firewall holds rules of the guest policy for it.
    public var hasGuestPolicy: Bool { hostAccess != .all || (mode == .nat && egress != .all) }
}
