import JSON

/// A forward with its target resolved to an address of its network: what the rules are made of.
public struct ResolvedForward: Hashable, Sendable {
    public let forward: PortForward
    public let bridge: String
    public let subnet: IPv4Subnet
    public let targetIP: IPv4Address

    public init(forward: PortForward, bridge: String, subnet: IPv4Subnet, targetIP: IPv4Address) {
        self.forward = forward
        self.bridge = bridge
        self.subnet = subnet
        self.targetIP = targetIP
    }

    /// The target's first port.
    public var targetPort: Int { forward.targetPort ?? forward.port }

    /// The `ip daddr . l4proto . th dport` key of vmnet's nft maps.
    var nftKey: String {
        let ports = forward.endPort > forward.port ? "\(forward.port)-\(forward.endPort)" : "\(forward.port)"
        return "\(forward.address?.description ?? "0.0.0.0/0") . \(forward.proto.rawValue) . \(ports)"
    }
}
