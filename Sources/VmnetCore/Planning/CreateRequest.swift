/// What `vmnet create` was asked for, already parsed into domain values.
public struct CreateRequest: Sendable {
    public var name: NetworkName
    public var profile: String?
    public var subnet: IPv4Subnet?
    /// A /64 chosen by the user instead of one drawn from the profile's `ipv6` setting.
    public var subnet6: IPv6Subnet?
    /// IPv4 only, whatever the profile says.
    public var noIPv6 = false
    public var mtu: Int?
    public var bridge: String?
    public var firewall: FirewallKind?
    /// Accept a subnet or pool outside the private and shared ranges.
    public var allowPublic = false
    /// Whether `up --all` raises it; false only with `--no-autostart`.
    public var autostart = true
    /// The project file creating it (`vmnet apply`); nil for `vmnet create`.
    public var owner: ProjectOwner?

    public init(name: NetworkName, profile: String? = nil, subnet: IPv4Subnet? = nil, mtu: Int? = nil, bridge: String? = nil, firewall: FirewallKind? = nil) {
        self.name = name
        self.profile = profile
        self.subnet = subnet
        self.mtu = mtu
        self.bridge = bridge
        self.firewall = firewall
    }
}
