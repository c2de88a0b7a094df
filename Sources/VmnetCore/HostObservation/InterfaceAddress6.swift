/// An IPv6 address configured on an interface (link-local ones are not collected).
public struct InterfaceAddress6: Hashable, Sendable {
    public let interface: String
    public let address: IPv6Address
    public let prefixLength: Int

    public init(interface: String, address: IPv6Address, prefixLength: Int) {
        self.interface = interface
        self.address = address
        self.prefixLength = prefixLength
    }

    public var subnet: IPv6Subnet { IPv6Subnet(containing: address, prefixLength: prefixLength) }
}
