/// One route of either family as the kernel reports it, from any routing table.
public struct HostRoute<Address: IPAddress>: Hashable, Sendable {
    public let destination: Subnet<Address>
    public let table: String
    public let device: String?
    public let type: String

    public init(destination: Subnet<Address>, table: String = "main", device: String? = nil, type: String = "unicast") {
        self.destination = destination
        self.table = table
        self.device = device
        self.type = type
    }
}
