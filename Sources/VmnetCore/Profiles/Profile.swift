/// A named set of defaults a network is created from.
public struct Profile: Hashable, Sendable {
    public var name: String
    public var description: String
    public var mode: NetworkMode
    public var pools: [IPv4Subnet]
    public var prefixLength: Int
    /// nil: the proportional default for `prefixLength`.
    public var addressPlan: AddressPlan.Offsets?
    public var domainSuffix: String
    public var leaseTime: String
    public var mtu: Int?
    public var dnsUpstream: DNSUpstream
    public var isolation: Bool
    /// nil: nftables when `nft` is installed, else iptables.
    public var firewall: FirewallKind?
    /// Also serve /etc/hosts names and /etc/ethers reservations, as the original setup did.
    public var readHostFiles: Bool
    public var ipv6: IPv6Setting
    /// `ovn`: the profile makes cluster networks (`create` implies `--cluster`).
    public var engine: NetworkEngine
    /// The guest policy new networks of this profile get (`all`/`all`: as before the policy).
    public var hostAccess: HostAccessPolicy = .all
    public var egress: EgressPolicy = .all

    public init(
        name: String, description: String = "", mode: NetworkMode = .nat,
        pools: [IPv4Subnet] = [IPv4Subnet("10.140.0.0/16")!], prefixLength: Int = 24,
        addressPlan: AddressPlan.Offsets? = nil, domainSuffix: String = "vmnet", leaseTime: String = "1h",
        mtu: Int? = nil, dnsUpstream: DNSUpstream = .auto, isolation: Bool = true, firewall: FirewallKind? = nil,
        readHostFiles: Bool = false, ipv6: IPv6Setting = .ula, engine: NetworkEngine = .bridge
    ) {
        self.name = name
        self.description = description
        self.mode = mode
        self.pools = pools
        self.prefixLength = prefixLength
        self.addressPlan = addressPlan
        self.domainSuffix = domainSuffix
        self.leaseTime = leaseTime
        self.mtu = mtu
        self.dnsUpstream = dnsUpstream
        self.isolation = isolation
        self.firewall = firewall
        self.readHostFiles = readHostFiles
        self.ipv6 = ipv6
        self.engine = engine
    }

    public var planOffsets: AddressPlan.Offsets {
        addressPlan ?? .proportional(prefixLength: prefixLength)
    }

    public static let minimumPrefixLength = 8
    public static let maximumPrefixLength = 28
    public static let mtuRange = 576...65535
}
