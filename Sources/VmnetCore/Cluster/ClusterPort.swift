/// A logical switch port of a cluster network as `show` and `leases` list it: who holds which
/// address, whether OVN has it bound (`up`) and on which chassis.
public struct ClusterPort: Hashable, Sendable {
    public var name: String
    /// OVN's type: "" for a VM or container port, "router" for the network's router port.
    public var type: String
    /// The `addresses` entries ("MAC IP…", "router", "dynamic").
    public var addresses: [String]
    public var up: Bool?
    /// The chassis the southbound Port_Binding puts it on; nil while unbound.
    public var chassis: String?

    public init(name: String, type: String, addresses: [String], up: Bool?, chassis: String?) {
        self.name = name
        self.type = type
        self.addresses = addresses
        self.up = up
        self.chassis = chassis
    }

    /// The MAC of the first "MAC IP…" entry.
    public var mac: String? { addresses.first.flatMap { $0.split(separator: " ").first.map(String.init) } }

    /// The IPs of every entry (IPv4 and IPv6).
    public var ips: [String] {
        addresses.flatMap { $0.split(separator: " ").dropFirst().map(String.init) }
    }
}
