/// The veth pair of a container on a cluster network, as `ip -batch` lines: made inside the
/// container's namespace with its host end sent to this host's, so the container's end never
/// appears (with a clashing name such as eth0) among the host's interfaces.
public struct ContainerLinks: Hashable, Sendable {
    public var port: ContainerPort
    public var interfaceName: String
    public var mtu: Int
    /// The default route's next hop (NAT networks); nil for host-only, like DHCP there.
    public var gateway: IPv4Address?

    public init(port: ContainerPort, interfaceName: String, mtu: Int, gateway: IPv4Address?) {
        self.port = port
        self.interfaceName = interfaceName
        self.mtu = mtu
        self.gateway = gateway
    }

    /// Run inside the container's namespace; `hostProcess` is a process in the host's
    /// namespace (the plugin itself), which is how `ip` names the namespace the peer goes to.
    public func containerBatch(hostProcess: Int32) -> String {
        var lines = [
            "link add \(interfaceName) mtu \(mtu) address \(port.mac) type veth peer name \(port.hostInterface) mtu \(mtu) netns \(hostProcess)",
            "address add \(port.address)/\(port.prefixLength) dev \(interfaceName)",
            "link set \(interfaceName) up",
        ]
        if let gateway { lines.append("route add default via \(gateway) dev \(interfaceName)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public var hostBatch: String { "link set \(port.hostInterface) up\n" }

    /// Whether br-int's datapath (its `datapath_type`) needs the container's veth to send
    /// complete checksums: the userspace one (netdev) reads the host end with af_packet and
    /// never fills in the checksum a veth leaves partial, so TCP across hosts dies (ping and
    /// DHCP still pass). Measured on OVS 3.1.
    public static func needsChecksumFill(datapathType: String?) -> Bool { datapathType == "netdev" }

    /// A gratuitous ARP from the container once its port is bound: guests elsewhere that still
    /// hold the MAC of an earlier container at this address (reused after a stop) update it,
    /// instead of sending replies to a MAC no port has (dropped; measured: TCP from a reused
    /// address failed for seconds while the guest's entry stayed REACHABLE).
    public var announceCommand: [String] {
        ["busybox", "arping", "-U", "-c", "1", "-I", interfaceName, "-s", port.address.description, port.address.description]
    }

    /// Run inside the container's namespace when `needsChecksumFill`.
    public var checksumCommand: [String] { ["ethtool", "-K", interfaceName, "tx", "off"] }
}
