/// An address of either family configured on an interface (IPv6 link-local ones are not
/// collected).
public struct InterfaceAddress<Address: IPAddress>: Hashable, Sendable {
    public let interface: String
    public let address: Address
    public let prefixLength: Int

    public init(interface: String, address: Address, prefixLength: Int) {
        self.interface = interface
        self.address = address
        self.prefixLength = prefixLength
    }

    public var subnet: Subnet<Address> { Subnet(containing: address, prefixLength: prefixLength) }
}
