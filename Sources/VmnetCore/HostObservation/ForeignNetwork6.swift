/// An IPv6 subnet of a network another tool has configured (a Podman network file, a
/// libvirt network definition).
public struct ForeignNetwork6: Hashable, Sendable {
    public let owner: String
    public let name: String
    public let file: String
    public let subnet: IPv6Subnet

    public init(owner: String, name: String, file: String, subnet: IPv6Subnet) {
        self.owner = owner
        self.name = name
        self.file = file
        self.subnet = subnet
    }
}
