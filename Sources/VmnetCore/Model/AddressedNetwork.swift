/// What a local network's record and a cluster network share: a subnet divided by a plan, and
/// maybe a /64. The gateway and ranges follow from those alone.
public protocol AddressedNetwork {
    var subnet: IPv4Subnet { get }
    var subnet6: IPv6Subnet? { get }
    var planOffsets: AddressPlan.Offsets { get }
}

extension AddressedNetwork {
    public var plan: AddressPlan { AddressPlan(subnet: subnet, offsets: planOffsets) }
    public var gateway: IPv4Address { plan.gateway }
    public var plan6: AddressPlan6? { subnet6.map(AddressPlan6.init) }
    public var gateway6: IPv6Address? { plan6?.gateway }
    public var hasIPv6: Bool { subnet6 != nil }
}
