/// vmnet's nftables table: static rules that only consult sets, and sets that say which
/// bridge is what. Changing networks then only changes set elements.
///
/// Why: in an nftables transaction, adding is cheap but deleting anything (a rule, an
/// element) or re-declaring a base chain costs an RCU grace period, ~10 ms each time here.
/// `table` builds the whole table once (when vmnet's first nftables network comes up, or to
/// repair it); `update` adds what is new plus every element of the networks being brought up
/// (adding an existing element changes nothing, so it also repairs theirs) and deletes only
/// what went away. Both are single atomic `nft -f` transactions, and applying either twice
/// leaves the same rules. An update's size follows what changed, not how many networks exist.
public enum NftRuleset {
    public static let table = "inet vmnet"

    /// ICMPv6 a bridge's guests send the host: neighbour and router discovery, and ping.
    public static let icmpv6Accepted = ["nd-router-solicit", "nd-router-advert", "nd-neighbor-solicit", "nd-neighbor-advert", "echo-request"]

    /// The sets and what each holds.
    public enum SetName: String, CaseIterable, Sendable {
        /// Every enabled vmnet bridge, whatever its firewall (isolation holds across backends).
        case bridges
        /// Bridges of networks isolated from the other vmnet networks.
        case isolated
        case hostOnly = "host_only"
        case natBridges = "nat_bridges"
        /// NAT bridges whose network has IPv6: the others forward none.
        case natBridges6 = "nat_bridges6"
        /// `bridge . bridge` pairs: traffic routed back into its own network.
        case ownTraffic = "own_traffic"
        /// Subnets of NAT networks (postrouting has no input interface to match on).
        case natSubnets = "nat_subnets"
        case natSubnets6 = "nat_subnets6"
        /// The host's address on each bridge, and on the isolated ones; `bridge . gateway`
        /// pairs say which address belongs to which bridge.
        case gateways
        case isolatedGateways = "isolated_gateways"
        case ownGateways = "own_gateways"
        case gateways6
        case isolatedGateways6 = "isolated_gateways6"
        case ownGateways6 = "own_gateways6"
        /// Port forwards (maps): `address . protocol . port` to `target . port` for single
        /// ports, to `target` for ranges (the ports stay). An address of 0.0.0.0/0 is every
        /// host address.
        case forwardPorts = "forward_ports"
        case forwardRanges = "forward_ranges"
        /// The guest policy: bridges whose guests reach only the host's services, and NAT
        /// bridges whose guests may not reach private ranges, or nothing beyond the host.
        case shielded
        case egressInternet = "egress_internet"
        case egressNone = "egress_none"
        /// `bridge . protocol . port` a shielded bridge's guests may reach on the host.
        case hostPorts = "host_ports"
        /// NAT bridges whose guests may reach only the destinations listed for them:
        /// `bridge . subnet` (any port), `bridge . subnet . protocol . port`.
        case egressListed = "egress_listed"
        case egressNets = "egress_nets"
        case egressPorts = "egress_ports"
        case egressNets6 = "egress_nets6"
        case egressPorts6 = "egress_ports6"
        /// Shielded bridges whose network serves TFTP.
        case tftpBridges = "tftp_bridges"

        public var isMap: Bool { self == .forwardPorts || self == .forwardRanges }
        /// Declared, with their rules, only while a network has a policy: tables of networks
        /// without one stay as they were before the policy existed.
        public var isPolicy: Bool { self == .shielded || self == .egressInternet || self == .egressNone || listedBy != nil }
        /// The set whose elements say a network uses this one: a list's sets and rules are
        /// declared only while some network has such a list (or a shielded TFTP server).
        public var listedBy: SetName? {
            switch self {
            case .hostPorts, .tftpBridges: return self
            case .egressListed, .egressNets, .egressPorts, .egressNets6, .egressPorts6: return .egressListed
            default: return nil
            }
        }
        /// Elements spelled `bridge . …`: a listing may spell their other parts differently.
        public var isPerBridgeList: Bool { listedBy != nil && self != .egressListed && self != .tftpBridges }

        var declaration: String {
            switch self {
            case .ownTraffic: return "type ifname . ifname"
            case .natSubnets: return "type ipv4_addr\n\t\tflags interval"
            case .gateways, .isolatedGateways: return "type ipv4_addr"
            case .ownGateways: return "type ifname . ipv4_addr"
            case .natSubnets6: return "type ipv6_addr\n\t\tflags interval"
            case .gateways6, .isolatedGateways6: return "type ipv6_addr"
            case .ownGateways6: return "type ifname . ipv6_addr"
            case .forwardPorts: return "type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service\n\t\tflags interval"
            case .forwardRanges: return "type ipv4_addr . inet_proto . inet_service : ipv4_addr\n\t\tflags interval"
            case .hostPorts: return "type ifname . inet_proto . inet_service\n\t\tflags interval"
            case .egressNets: return "type ifname . ipv4_addr\n\t\tflags interval"
            case .egressPorts: return "type ifname . ipv4_addr . inet_proto . inet_service\n\t\tflags interval"
            case .egressNets6: return "type ifname . ipv6_addr\n\t\tflags interval"
            case .egressPorts6: return "type ifname . ipv6_addr . inet_proto . inet_service\n\t\tflags interval"
            default: return "type ifname"
            }
        }
    }

    /// The elements each set holds for these networks and their (resolved) forwards.
    public static func elements(_ networks: [NetworkRecord], allBridges: [String], forwards: [ResolvedForward] = []) -> [SetName: Set<String>] {
        func quoted(_ name: String) -> String { "\"\(name)\"" }
        let nat = networks.filter { $0.mode == .nat }
        let bridges = Set(nat.map(\.bridge))
        let forwards = forwards.filter { bridges.contains($0.bridge) }
        let ranges = forwards.filter { $0.forward.endPort > $0.forward.port }
        let ports = forwards.filter { $0.forward.endPort == $0.forward.port }
        // Port forwards stay IPv4: a network's IPv6 elements exist only when it has IPv6.
        let dual = networks.filter(\.hasIPv6)
        let nat6 = nat.filter(\.hasIPv6)
        let shielded = networks.filter(\.hostAccess.shields)
        let listed = nat.filter { !$0.egress.destinations.isEmpty }
        func destinations(_ v6: Bool, ports: Bool) -> Set<String> {
            Set(listed.flatMap { network in
                network.egress.destinations.filter { $0.isIPv6 == v6 && ($0.port != nil) == ports }.map { destination in
                    "\(quoted(network.bridge)) . \(destination.subnet)" + (destination.port.map { " . \($0.proto.rawValue) . \($0.nftPorts)" } ?? "")
                }
            })
        }
        return [
            .forwardPorts: Set(ports.map { "\($0.nftKey) : \($0.targetIP) . \($0.targetPort)" }),
            .forwardRanges: Set(ranges.map { "\($0.nftKey) : \($0.targetIP)" }),
            .bridges: Set((allBridges + networks.map(\.bridge)).map(quoted)),
            .isolated: Set(networks.filter(\.isolation).map { quoted($0.bridge) }),
            .hostOnly: Set(networks.filter { $0.mode == .hostOnly }.map { quoted($0.bridge) }),
            .natBridges: Set(nat.map { quoted($0.bridge) }),
            .ownTraffic: Set(networks.map { "\(quoted($0.bridge)) . \(quoted($0.bridge))" }),
            .natSubnets: Set(nat.map { $0.subnet.description }),
            .gateways: Set(networks.map(\.gateway.description)),
            .isolatedGateways: Set(networks.filter(\.isolation).map(\.gateway.description)),
            .ownGateways: Set(networks.map { "\(quoted($0.bridge)) . \($0.gateway)" }),
            .natBridges6: Set(nat6.map { quoted($0.bridge) }),
            .natSubnets6: Set(nat6.compactMap { $0.subnet6?.description }),
            .gateways6: Set(dual.compactMap { $0.gateway6?.description }),
            .isolatedGateways6: Set(dual.filter(\.isolation).compactMap { $0.gateway6?.description }),
            .ownGateways6: Set(dual.compactMap { network in network.gateway6.map { "\(quoted(network.bridge)) . \($0)" } }),
            .shielded: Set(shielded.map { quoted($0.bridge) }),
            .egressInternet: Set(nat.filter { $0.egress == .internet }.map { quoted($0.bridge) }),
            .egressNone: Set(nat.filter { $0.egress == .none }.map { quoted($0.bridge) }),
            .hostPorts: Set(shielded.flatMap { network in network.hostAccess.ports.map { "\(quoted(network.bridge)) . \($0.proto.rawValue) . \($0.nftPorts)" } }),
            .egressListed: Set(listed.map { quoted($0.bridge) }),
            .egressNets: destinations(false, ports: false),
            .egressPorts: destinations(false, ports: true),
            .egressNets6: destinations(true, ports: false),
            .egressPorts6: destinations(true, ports: true),
            .tftpBridges: Set(shielded.filter { $0.dhcpOptions.tftpRoot != nil }.map { quoted($0.bridge) }),
        ]
    }

    /// Builds the table from nothing (replacing whatever is there). With no networks, removes it.
    public static func table(_ networks: [NetworkRecord], allBridges: [String], forwards: [ResolvedForward] = []) -> String {
        // Creating then deleting makes the delete safe when the table does not exist.
        var out = "table \(table)\ndelete table \(table)\n"
        guard !networks.isEmpty else { return out }
        let reject = "reject with icmpx type admin-prohibited"
        let policy = networks.contains(where: \.hasGuestPolicy)
        let elements = elements(networks, allBridges: allBridges, forwards: forwards)
        func declared(_ set: SetName) -> Bool {
            guard set.isPolicy else { return true }
            guard policy else { return false }
            return set.listedBy.map { !(elements[$0] ?? []).isEmpty } ?? true
        }
        out += "table \(table) {\n"
        for set in SetName.allCases where declared(set) { out += "\t\(set.isMap ? "map" : "set") \(set.rawValue) {\n\t\t\(set.declaration)\n\t}\n" }
        out += chain("input", "type filter hook input priority filter; policy accept;", [
            // The host's address on another bridge is part of that network: an isolated
            // network neither reaches nor is reached through it (its dnsmasq, ping, anything).
            "iifname @bridges ip daddr @isolated_gateways iifname . ip daddr != @own_gateways \(reject)",
            "iifname @bridges ip6 daddr @isolated_gateways6 iifname . ip6 daddr != @own_gateways6 \(reject)",
            "iifname @isolated ip daddr @gateways iifname . ip daddr != @own_gateways \(reject)",
            "iifname @isolated ip6 daddr @gateways6 iifname . ip6 daddr != @own_gateways6 \(reject)",
            // Each dnsmasq serves its own bridge (and the host) only: bind-interfaces binds an
            // address, and the kernel delivers to it whatever interface a query came in on.
            "iifname != \"lo\" ip daddr @gateways meta l4proto { tcp, udp } th dport { 53, 67 } iifname . ip daddr != @own_gateways \(reject)",
            "iifname != \"lo\" ip6 daddr @gateways6 meta l4proto { tcp, udp } th dport { 53, 547 } iifname . ip6 daddr != @own_gateways6 \(reject)",
            "iifname @bridges udp dport 67 accept",
            "iifname @bridges udp dport 547 accept",
            "iifname @bridges meta l4proto { tcp, udp } th dport 53 accept",
            "iifname @bridges icmpv6 type { \(icmpv6Accepted.joined(separator: ", ")) } accept",
        ] + (policy ? [
            // host_access=services: what the host started is answered, ping too, nothing else.
            "iifname @shielded ct state established,related accept",
            "iifname @shielded icmp type echo-request accept",
        ] : []) + (declared(.tftpBridges) ? [
            // TFTP's read request; the transfer runs from a port the server opens, answered.
            "iifname @tftp_bridges udp dport 69 accept",
        ] : []) + (declared(.hostPorts) ? [
            "iifname . meta l4proto . th dport @host_ports accept",
        ] : []) + (policy ? [
            "iifname @shielded \(reject)",
        ] : []))
        out += chain("forward", "type filter hook forward priority filter; policy accept;", [
            "iifname . oifname @own_traffic accept",
            "iifname @isolated oifname @bridges \(reject)",
            "iifname @bridges oifname @isolated \(reject)",
            "iifname @host_only \(reject)",
            "oifname @host_only \(reject)",
            // A NAT network without IPv6 forwards none (its guests could still route through
            // the host's link-local address once IPv6 forwarding is on for another network).
            "meta nfproto ipv6 iifname @nat_bridges iifname != @nat_bridges6 \(reject)",
        ] + (policy ? [
            // egress: new flows leaving the host (not into another vmnet bridge: isolation's
            // part); replies of forwarded flows are established.
            "iifname @egress_internet oifname != @bridges ct state new ip daddr { \(EgressPolicy.privateRanges4.joined(separator: ", ")) } \(reject)",
            "iifname @egress_internet oifname != @bridges ct state new ip6 daddr { \(EgressPolicy.privateRanges6.joined(separator: ", ")) } \(reject)",
            "iifname @egress_none oifname != @bridges ct state new \(reject)",
        ] : []) + (declared(.egressListed) ? [
            // An egress list: the destinations it names, nothing else leaving the host.
            "iifname @egress_listed oifname != @bridges ct state new iifname . ip daddr @egress_nets accept",
            "iifname @egress_listed oifname != @bridges ct state new iifname . ip daddr . meta l4proto . th dport @egress_ports accept",
            "iifname @egress_listed oifname != @bridges ct state new iifname . ip6 daddr @egress_nets6 accept",
            "iifname @egress_listed oifname != @bridges ct state new iifname . ip6 daddr . meta l4proto . th dport @egress_ports6 accept",
            "iifname @egress_listed oifname != @bridges ct state new \(reject)",
        ] : []) + [
            "iifname @nat_bridges accept",
            "oifname @nat_bridges ct state established,related accept",
            // A forward's flow, once DNATed in prerouting (the isolation rejects came first).
            "oifname @nat_bridges ct status dnat accept",
            "oifname @nat_bridges \(reject)",
        ])
        // Forwards: traffic to a host address (any local one, or the forward's own), from outside
        // or from a guest, and from the host itself (output; loopback stays the host's: the
        // kernel would not route 127/8 out of a bridge).
        let forwardMatch = "fib daddr type local meta l4proto { tcp, udp } dnat ip to ip daddr . meta l4proto . th dport map"
        out += chain("prerouting", "type nat hook prerouting priority dstnat; policy accept;", [
            "\(forwardMatch) @forward_ports",
            "\(forwardMatch) @forward_ranges",
        ])
        // nft 1.0.6 knows no `dstnat` keyword in output: -100 is its value.
        out += chain("output", "type nat hook output priority -100; policy accept;", [
            "ip daddr != 127.0.0.0/8 \(forwardMatch) @forward_ports",
            "ip daddr != 127.0.0.0/8 \(forwardMatch) @forward_ranges",
        ])
        out += chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;", [
            "ip saddr @nat_subnets ip daddr != @nat_subnets masquerade",
            // NAT66, as Incus and podman do for ULA prefixes: the guest leaves with the host's address.
            "ip6 saddr @nat_subnets6 ip6 daddr != @nat_subnets6 masquerade",
            // Hairpin: a guest reaching a forward of its own network; the target would answer
            // it directly, from an address it never spoke to, unless the host is the source.
            "ct status dnat ip saddr @nat_subnets oifname @nat_bridges masquerade",
        ])
        out += "}\n"
        return out + changes(to: elements, from: [:])
    }

    /// Moves the sets from the elements of `previous` to those of `networks`, re-adding all of
    /// `touched`'s elements (the networks this command brings up).
    public static func update(
        _ networks: [NetworkRecord], allBridges: [String], previous: [NetworkRecord], previousBridges: [String], touched: [NetworkRecord],
        forwards: [ResolvedForward] = [], previousForwards: [ResolvedForward] = []
    ) -> String {
        let wanted = elements(networks, allBridges: allBridges, forwards: forwards)
        let refresh = elements(touched, allBridges: [], forwards: forwards)
        return changes(to: wanted, from: elements(previous, allBridges: previousBridges, forwards: previousForwards), refreshing: refresh)
    }

    private static func changes(to wanted: [SetName: Set<String>], from old: [SetName: Set<String>], refreshing refresh: [SetName: Set<String>] = [:]) -> String {
        var out = ""
        for set in SetName.allCases {
            let gone = (old[set] ?? []).subtracting(wanted[set] ?? [])
            if !gone.isEmpty { out += "delete element \(table) \(set.rawValue) { \(gone.sorted().joined(separator: ", ")) }\n" }
        }
        for set in SetName.allCases {
            let mine = wanted[set] ?? []
            let adds = mine.subtracting(old[set] ?? []).union((refresh[set] ?? []).intersection(mine))
            if !adds.isEmpty { out += "add element \(table) \(set.rawValue) { \(adds.sorted().joined(separator: ", ")) }\n" }
        }
        return out
    }

    private static func chain(_ name: String, _ hook: String, _ rules: [String]) -> String {
        "\tchain \(name) {\n\t\t\(hook)\n" + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n"
    }
}
