/// A network another tool has configured (up or not), such as a Podman network file or a
/// libvirt network definition. vmnet must not hand out its subnet either.
public struct ForeignNetwork: Hashable, Sendable {
    public let owner: String
    public let name: String
    public let file: String
    public let subnet: IPv4Subnet

    public init(owner: String, name: String, file: String, subnet: IPv4Subnet) {
        self.owner = owner
        self.name = name
        self.file = file
        self.subnet = subnet
    }
}
