/// An IPv4 network in CIDR form.
public typealias IPv4Subnet = Subnet<IPv4Address>

extension Subnet where Address == IPv4Address {
    public var netmask: IPv4Address { IPv4Address(Subnet.mask(prefixLength)) }
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }
}
