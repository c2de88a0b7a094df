/// One IPv6 route as the kernel reports it, from any routing table.
public struct HostRoute6: Hashable, Sendable {
    public let destination: IPv6Subnet
    public let table: String
    public let device: String?
    public let type: String

    public init(destination: IPv6Subnet, table: String = "main", device: String? = nil, type: String = "unicast") {
        self.destination = destination
        self.table = table
        self.device = device
        self.type = type
    }
}
