/// One network of a project file, validated: its name on the host (`PROJECT-NET`), what only
/// `create` decides (profile, subnets, IPv6), the settings `vmnet set` can change in place,
/// and its hosts, forwards and runtime installs.
public struct ProjectNetwork: Sendable {
    /// The key under `networks` (`front`).
    public var key: String
    /// `shop-front`.
    public var name: NetworkName
    public var profile: String?
    public var subnet: IPv4Subnet?
    public var subnet6: IPv6Subnet?
    /// nil: as the profile says.
    public var ipv6: Bool?
    /// Only the keys the file sets; the others follow the profile (see `ProjectPlanner`).
    public var settings: [NetworkSetting]
    public var hosts: [ProjectHost]
    public var forwards: [PortForward]
    public var install: [RuntimeKind]

    public init(
        key: String, name: NetworkName, profile: String? = nil, subnet: IPv4Subnet? = nil, subnet6: IPv6Subnet? = nil, ipv6: Bool? = nil,
        settings: [NetworkSetting] = [], hosts: [ProjectHost] = [], forwards: [PortForward] = [], install: [RuntimeKind] = []
    ) {
        self.key = key
        self.name = name
        self.profile = profile
        self.subnet = subnet
        self.subnet6 = subnet6
        self.ipv6 = ipv6
        self.settings = settings
        self.hosts = hosts
        self.forwards = forwards
        self.install = install
    }
}
