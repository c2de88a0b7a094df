/// A forward on a cluster network as its Load_Balancer row records it: the gateways' PORT
/// (any of their addresses) to the router's transit address (the vip), and on to the
/// guest's address and port (the backend). The target keeps the name it was given, for
/// `forward list`.
public struct ClusterForward: Hashable, Sendable {
    public var network: NetworkName
    public var forward: PortForward
    public var routerAddress: IPv4Address
    public var targetIP: IPv4Address
    /// The row's uuid, when read from NB.
    public var uuid: String?

    public init(network: NetworkName, forward: PortForward, routerAddress: IPv4Address, targetIP: IPv4Address, uuid: String? = nil) {
        self.network = network
        self.forward = forward
        self.routerAddress = routerAddress
        self.targetIP = targetIP
        self.uuid = uuid
    }

    /// external_ids keys beside the ownership marks: `vmnet-forward=PROTO/PORT` (what makes
    /// the row a forward, and what `forward rm` finds) and the target as the user named it.
    public enum Key {
        public static let forward = "vmnet-forward"
        public static let target = "vmnet-target"
    }

    /// `PROTO/PORT`, unique among a cluster's forwards (the gateways' uplinks are shared).
    public var key: String { "\(forward.proto.rawValue)/\(forward.port)" }

    public var rowName: String { OVNNames.router(network) + "-forward-\(forward.proto.rawValue)-\(forward.port)" }

    public var vip: String { "\(routerAddress):\(forward.port)" }
    public var backend: String { "\(targetIP):\(forward.targetPort ?? forward.port)" }

    public var row: [String: OVSDBDatum] {
        [
            "name": .string(rowName), "protocol": .set([.string(forward.proto.rawValue)]), "vips": .map([vip: backend]),
            "external_ids": .map(OVNOwnership.marks(network: network.value, [Key.forward: key, Key.target: forward.target])),
        ]
    }

    /// Reads a forward back from its Load_Balancer row (`_uuid`, `vips`, `external_ids`); nil
    /// for a row that is no vmnet forward.
    public init?(balancerRow row: OVSDBRow) {
        let ids = row.map("external_ids")
        guard ids[OVNOwnership.ownerKey] == OVNOwnership.owner, let networkText = ids[OVNOwnership.networkKey],
              let network = try? NetworkName(networkText), let key = ids[Key.forward], let target = ids[Key.target],
              let (vip, backend) = row.map("vips").first,
              let (routerAddress, port) = ClusterForward.endpoint(vip), let (targetIP, targetPort) = ClusterForward.endpoint(backend),
              let proto = key.split(separator: "/").first.flatMap({ PortForward.Proto(rawValue: String($0)) }),
              let forward = try? PortForward(address: nil, port: port, endPort: port, proto: proto, target: target,
                                             targetPort: targetPort == port ? nil : targetPort)
        else { return nil }
        self.init(network: network, forward: forward, routerAddress: routerAddress, targetIP: targetIP, uuid: row.uuid)
    }

    /// `IP:PORT` as OVN writes a vip or backend.
    static func endpoint(_ text: String) -> (IPv4Address, Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let address = IPv4Address(String(parts[0])), let port = Int(parts[1]) else { return nil }
        return (address, port)
    }

    /// What a gateway host DNATs for it: its PORT to the router's transit address.
    public var gatewayForward: ClusterGatewayRuleset.Forward {
        ClusterGatewayRuleset.Forward(proto: forward.proto, address: nil, port: forward.port, endPort: forward.port, routerAddress: routerAddress)
    }
}
