/// A container's logical switch port on a cluster network, as the plugin allocates it and
/// as NB keeps it: the port name, MAC and address, its DNS name, and the host-side veth.
public struct ContainerPort: Hashable, Sendable {
    public var network: NetworkName
    public var containerID: String
    public var mac: MACAddress
    public var address: IPv4Address
    public var prefixLength: Int
    /// `NAME.PROJECT.vmnet`; nil when the container's name is no DNS label.
    public var hostName: String?

    public init(network: NetworkName, containerID: String, mac: MACAddress, address: IPv4Address, prefixLength: Int, hostName: String?) {
        self.network = network
        self.containerID = containerID
        self.mac = mac
        self.address = address
        self.prefixLength = prefixLength
        self.hostName = hostName
    }

    public var name: String { OVNNames.containerPort(network, containerID: containerID) }
    public var hostInterface: String { OVNNames.containerInterface(name) }
    /// The LSP's `addresses` and `port_security` entry.
    public var addressEntry: String { "\(mac) \(address)" }

    /// The DNS records: the name and its PTR.
    public var dnsRecords: [String: String] {
        guard let hostName else { return [:] }
        return [hostName: address.description, ContainerPort.reverseName(address): hostName]
    }

    /// `d.c.b.a.in-addr.arpa`, the key OVN's DNS table answers PTR queries for.
    public static func reverseName(_ address: IPv4Address) -> String {
        (0..<4).map { String(address.value >> UInt32(8 * $0) & 0xff) }.joined(separator: ".") + ".in-addr.arpa"
    }

    /// The DNS name of a container called `name` on `network`; nil when `name` is not one
    /// DNS label (podman allows `_` and `.` in names, DNS does not).
    public static func hostName(_ name: String?, network: NetworkName) -> String? {
        guard let name = name?.lowercased(), (1...63).contains(name.utf8.count), !name.hasPrefix("-"), !name.hasSuffix("-"),
              name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else { return nil }
        return "\(name).\(network.value).vmnet"
    }

    public enum Key {
        public static let container = "vmnet-container"
        public static let containerName = "vmnet-container-name"
        public static let hostName = "vmnet-dns-name"
        public static let chassis = "vmnet-chassis"
    }
}
