/// A subnet of a network another tool has configured (up or not), such as a Podman network
/// file or a libvirt network definition. vmnet must not hand it out either.
public struct ForeignNetwork<Address: IPAddress>: Hashable, Sendable {
    public let owner: String
    public let name: String
    public let file: String
    public let subnet: Subnet<Address>

    public init(owner: String, name: String, file: String, subnet: Subnet<Address>) {
        self.owner = owner
        self.name = name
        self.file = file
        self.subnet = subnet
    }
}
