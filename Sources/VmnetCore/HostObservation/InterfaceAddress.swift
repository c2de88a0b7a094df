/// An IPv4 address configured on an interface.
public struct InterfaceAddress: Hashable, Sendable {
    public let interface: String
    public let address: IPv4Address
    public let prefixLength: Int

    public init(interface: String, address: IPv4Address, prefixLength: Int) {
        self.interface = interface
        self.address = address
        self.prefixLength = prefixLength
    }

    public var subnet: IPv4Subnet { IPv4Subnet(containing: address, prefixLength: prefixLength) }
}
