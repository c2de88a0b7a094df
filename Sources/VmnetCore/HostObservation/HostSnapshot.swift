/// Everything vmnet reads from the host before deciding: routes, addresses, interfaces,
/// other tools' networks and the resolver. Read once per command, then used purely.
public struct HostSnapshot: Sendable {
    public var routes: [HostRoute<IPv4Address>]
    public var addresses: [InterfaceAddress<IPv4Address>]
    public var interfaces: Set<String>
    public var foreignNetworks: [ForeignNetwork<IPv4Address>]
    public var nameservers: [IPv4Address]
    public var resolvedStubListening: Bool
    /// Read only when allocating an IPv6 subnet, like `routes`.
    public var routes6: [HostRoute<IPv6Address>]
    public var addresses6: [InterfaceAddress<IPv6Address>]
    public var foreignNetworks6: [ForeignNetwork<IPv6Address>]
    public var nameservers6: [IPv6Address]
    /// IPv4 policy-routing rules, read only by doctor; empty: the defaults (local, main, default).
    public var rules: [PolicyRule] = []

    public init(
        routes: [HostRoute<IPv4Address>] = [], addresses: [InterfaceAddress<IPv4Address>] = [], interfaces: Set<String> = [],
        foreignNetworks: [ForeignNetwork<IPv4Address>] = [], nameservers: [IPv4Address] = [], resolvedStubListening: Bool = false,
        routes6: [HostRoute<IPv6Address>] = [], addresses6: [InterfaceAddress<IPv6Address>] = [],
        foreignNetworks6: [ForeignNetwork<IPv6Address>] = [], nameservers6: [IPv6Address] = []
    ) {
        self.routes6 = routes6
        self.addresses6 = addresses6
        self.foreignNetworks6 = foreignNetworks6
        self.nameservers6 = nameservers6
        self.routes = routes
        self.addresses = addresses
        self.interfaces = interfaces
        self.foreignNetworks = foreignNetworks
        self.nameservers = nameservers
        self.resolvedStubListening = resolvedStubListening
    }
}
