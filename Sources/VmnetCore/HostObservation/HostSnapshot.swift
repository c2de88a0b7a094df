/// Everything vmnet reads from the host before deciding: routes, addresses, interfaces,
/// other tools' networks and the resolver. Read once per command, then used purely.
public struct HostSnapshot: Sendable {
    public var routes: [HostRoute]
    public var addresses: [InterfaceAddress]
    public var interfaces: Set<String>
    public var foreignNetworks: [ForeignNetwork]
    public var nameservers: [IPv4Address]
    public var resolvedStubListening: Bool

    public init(
        routes: [HostRoute] = [], addresses: [InterfaceAddress] = [], interfaces: Set<String> = [],
        foreignNetworks: [ForeignNetwork] = [], nameservers: [IPv4Address] = [], resolvedStubListening: Bool = false
    ) {
        self.routes = routes
        self.addresses = addresses
        self.interfaces = interfaces
        self.foreignNetworks = foreignNetworks
        self.nameservers = nameservers
        self.resolvedStubListening = resolvedStubListening
    }
}
