/// The transit link between a cluster's routers and its gateway hosts: one /24 from
/// 100.64.0.0/10 (shared address space, RFC 6598), the same on every gateway. Each gateway
/// holds `.1` on its own `vmnet-transit` port, local to it (no second NIC, no shared L2 between
/// gateways); each NAT network's router port takes `.2` upward.
public struct ClusterTransit: Hashable, Sendable {
    public let subnet: IPv4Subnet

    public init(subnet: IPv4Subnet) { self.subnet = subnet }

    /// NB_Global external_ids key the first gateway stores the subnet under.
    public static let key = "vmnet-transit"
    public static let pool = IPv4Subnet("100.64.0.0/10")!
    public static let prefixLength = 24

    /// The gateway hosts' address (the routers' default route).
    public var gatewayAddress: IPv4Address { subnet.host(1) }

    /// The same MAC on every gateway: routers learn it into the southbound MAC_Binding table,
    /// shared by all chassis, so after a failover they would keep sending to the first
    /// gateway's MAC if each host had its own (measured: the binding outlives the failover).
    public var mac: MACAddress { MACAddress.generated(from: "vmnet-transit:" + subnet.description) }

    /// The first router address from `.2` not in `used`.
    public func freeRouterAddress(used: Set<IPv4Address>) throws(VmnetError) -> IPv4Address {
        for offset in 2..<(subnet.size - 1) where !used.contains(subnet.host(offset)) { return subnet.host(offset) }
        throw VmnetError(.exhausted, "choosing a transit address in \(subnet): all \(subnet.size - 3) router addresses are taken: destroy a NAT cluster network")
    }

    /// The subnet stored in NB when there is one (it must be free on this host: a gateway
    /// that already routes it cannot hold it), else the first /24 of the pool free here and
    /// among `claims` (the cluster networks' subnets).
    public static func choose(stored: String?, allocator: SubnetAllocator<IPv4Address>) throws(VmnetError) -> ClusterTransit {
        if let stored {
            guard let subnet = IPv4Subnet(stored) else {
                throw .failed("reading the cluster's transit subnet: NB_Global external_ids \(key)=\(stored) is not a subnet: fix it with ovn-nbctl")
            }
            let conflicts = allocator.conflicts(with: subnet)
            guard conflicts.isEmpty else {
                throw .conflict("preparing this host as a gateway: the cluster's transit subnet \(subnet) collides with "
                                + conflicts.map(\.origin).joined(separator: ", ") + " here: free it on this host, or pick another gateway")
            }
            return ClusterTransit(subnet: subnet)
        }
        return ClusterTransit(subnet: try allocator.allocate(name: "the cluster's transit link", pools: [pool], prefixLength: prefixLength))
    }
}
