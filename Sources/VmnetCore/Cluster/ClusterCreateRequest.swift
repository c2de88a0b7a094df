/// What `vmnet create NAME --cluster` was asked for, parsed into domain values.
public struct ClusterCreateRequest: Hashable, Sendable {
    public var name: NetworkName
    /// nil: `ovn-nat`.
    public var profile: String?
    public var subnet: IPv4Subnet?
    public var noIPv6: Bool
    /// `--gateway H1,H2` in priority order; nil: the creating host for NAT networks.
    public var gateways: [String]?
    public var allowPublic: Bool

    public init(name: NetworkName, profile: String? = nil, subnet: IPv4Subnet? = nil, noIPv6: Bool = false, gateways: [String]? = nil,
                allowPublic: Bool = false) {
        self.name = name
        self.profile = profile
        self.subnet = subnet
        self.noIPv6 = noIPv6
        self.gateways = gateways
        self.allowPublic = allowPublic
    }

    public static let defaultProfile = "ovn-nat"
}
