/// A gateway host's nft table `inet vmnet-cluster-gw`: masquerade of the transit subnet out of
/// every other interface (the uplinks), forwarding between the transit link and the uplinks,
/// none from the transit link into this host's vmnet networks or member ports, and the DNATs
/// of the cluster networks' forwards (this host's PORT to a router's transit address). Replaced
/// whole in one `nft -f` transaction (`replacement`), so applying it twice changes nothing.
public struct ClusterGatewayRuleset: Hashable, Sendable {
    /// One forward: this host's `port…endPort` (on `address`, or any local address) to a
    /// router's transit address, where the network's Load_Balancer takes it to the guest.
    public struct Forward: Hashable, Sendable {
        public var proto: PortForward.Proto
        public var address: IPv4Address?
        public var port: Int
        public var endPort: Int
        public var routerAddress: IPv4Address

        public init(proto: PortForward.Proto, address: IPv4Address?, port: Int, endPort: Int, routerAddress: IPv4Address) {
            self.proto = proto
            self.address = address
            self.port = port
            self.endPort = endPort
            self.routerAddress = routerAddress
        }
    }

    public static let table = "inet vmnet-cluster-gw"
    /// Interfaces the transit link must never reach: local vmnet bridges, member ports on
    /// cluster networks, containers' host ends.
    public static let isolatedInterfaces = [BridgeNamer.prefix + "*", "vmh-*", "vmc-*"]

    public let transit: ClusterTransit
    public let forwards: [Forward]

    public init(transit: ClusterTransit, forwards: [Forward]) {
        self.transit = transit
        self.forwards = forwards.sorted { ($0.port, $0.proto.rawValue, $0.routerAddress) < ($1.port, $1.proto.rawValue, $1.routerAddress) }
    }

    public var text: String {
        let link = "\"\(OVNNames.transitInterface)\"", subnet = transit.subnet.description
        var lines = ["table \(ClusterGatewayRuleset.table) {"]
        lines += ["\tchain prerouting {", "\t\ttype nat hook prerouting priority dstnat; policy accept;"]
        for forward in forwards {
            let destination = forward.address.map { "ip daddr \($0)" } ?? "fib daddr type local"
            let ports = forward.endPort > forward.port ? "\(forward.port)-\(forward.endPort)" : "\(forward.port)"
            lines.append("\t\tiifname != \(link) \(destination) \(forward.proto.rawValue) dport \(ports) dnat ip to \(forward.routerAddress)")
        }
        lines += ["\t}", "\tchain postrouting {", "\t\ttype nat hook postrouting priority srcnat; policy accept;",
                  "\t\tip saddr \(subnet) oifname != \(link) masquerade", "\t}"]
        lines += ["\tchain forward {", "\t\ttype filter hook forward priority filter; policy accept;"]
        for pattern in ClusterGatewayRuleset.isolatedInterfaces { lines.append("\t\tiifname \(link) oifname \"\(pattern)\" drop") }
        lines += ["\t\tiifname \(link) ip saddr \(subnet) accept", "\t\toifname \(link) ip daddr \(subnet) accept", "\t}", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Creates or replaces the table atomically (declaring it first makes the delete valid
    /// when it did not exist).
    public var replacement: String { ClusterGatewayRuleset.removal + text }

    public static let removal = "table \(table) {}\ndelete table \(table)\n"
}
