/// Everything vmnet reads from the host before deciding: routes, addresses, interfaces,
/// other tools' networks and the resolver. Read once per command, then used purely.
public struct HostSnapshot: Sendable {
    public var routes: [HostRoute]
    public var addresses: [InterfaceAddress]
    public var interfaces: Set<String>
    public var foreignNetworks: [ForeignNetwork]
    public var nameservers: [IPv4Address]
    public var resolvedStubListening: Bool
    /// Read only when allocating an IPv6 subnet, like `routes`.
    public var routes6: [HostRoute6]
    public var addresses6: [InterfaceAddress6]
    public var foreignNetworks6: [ForeignNetwork6]

    public init(
        routes: [HostRoute] = [], addresses: [InterfaceAddress] = [], interfaces: Set<String> = [],
        foreignNetworks: [ForeignNetwork] = [], nameservers: [IPv4Address] = [], resolvedStubListening: Bool = false,
        routes6: [HostRoute6] = [], addresses6: [InterfaceAddress6] = [], foreignNetworks6: [ForeignNetwork6] = []
    ) {
        self.routes6 = routes6
        self.addresses6 = addresses6
        self.foreignNetworks6 = foreignNetworks6
        self.routes = routes
        self.addresses = addresses
        self.interfaces = interfaces
        self.foreignNetworks = foreignNetworks
        self.nameservers = nameservers
        self.resolvedStubListening = resolvedStubListening
    }
}
