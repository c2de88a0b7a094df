/// A cluster network as its logical switch's external_ids record it in the northbound
/// database: the only record of it (every member reads it from there). `externalIDs` writes
/// it, `init(switchRow:)` reads it back.
public struct ClusterNetwork: Hashable, Sendable, AddressedNetwork {
    public var name: NetworkName
    public var profile: String
    public var mode: NetworkMode
    public var subnet: IPv4Subnet
    public var subnet6: IPv6Subnet?
    public var planOffsets: AddressPlan.Offsets
    /// The MTU DHCP gives guests: the underlay's less geneve's 58 bytes.
    public var mtu: Int
    public var leaseTime: String
    /// The DNS servers DHCP hands out (OVN answers the network's own names itself).
    public var dnsServers: [IPv4Address]
    /// The gateway chassis in priority order (NAT networks), empty for host-only.
    public var gateways: [String]
    public var created: String

    public init(name: NetworkName, profile: String, mode: NetworkMode, subnet: IPv4Subnet, subnet6: IPv6Subnet?,
                planOffsets: AddressPlan.Offsets, mtu: Int, leaseTime: String, dnsServers: [IPv4Address], gateways: [String],
                created: String) {
        self.name = name
        self.profile = profile
        self.mode = mode
        self.subnet = subnet
        self.subnet6 = subnet6
        self.planOffsets = planOffsets
        self.mtu = mtu
        self.leaseTime = leaseTime
        self.dnsServers = dnsServers
        self.gateways = gateways
        self.created = created
    }

    public var domain: String { "\(name.value).vmnet" }

    /// geneve's overhead on an IPv4 underlay (outer IP 20 + UDP 8 + geneve 8 + options 8 +
    /// inner Ethernet 14): a guest MTU larger than underlay − 58 stalls TCP across hosts.
    public static let geneveOverhead = 58

    public enum Key {
        public static let subnet = "vmnet-subnet"
        public static let subnet6 = "vmnet-subnet6"
        public static let mode = "vmnet-mode"
        public static let profile = "vmnet-profile"
        public static let plan = "vmnet-plan"
        public static let mtu = "vmnet-mtu"
        public static let leaseTime = "vmnet-lease-time"
        public static let dns = "vmnet-dns"
        public static let gateways = "vmnet-gateways"
        public static let created = "vmnet-created"
    }

    /// The switch's external_ids: the ownership marks and the whole record.
    public var externalIDs: [String: String] {
        let offsets = planOffsets
        let plan = "\(offsets.gateway) \(offsets.staticHosts.lowerBound)-\(offsets.staticHosts.upperBound) "
            + "\(offsets.containers.lowerBound)-\(offsets.containers.upperBound) \(offsets.dhcp.lowerBound)-\(offsets.dhcp.upperBound)"
        var ids = OVNOwnership.marks(network: name.value, [
            Key.subnet: subnet.description, Key.mode: mode.rawValue, Key.profile: profile, Key.plan: plan,
            Key.mtu: String(mtu), Key.leaseTime: leaseTime, Key.dns: dnsServers.map(\.description).joined(separator: ","),
            Key.gateways: gateways.joined(separator: ","), Key.created: created,
        ])
        if let subnet6 { ids[Key.subnet6] = subnet6.description }
        return ids
    }

    /// Reads a network back from its switch's external_ids; nil for a switch that is not a
    /// (well-formed) vmnet network.
    public init?(externalIDs ids: [String: String]) {
        guard ids[OVNOwnership.ownerKey] == OVNOwnership.owner, let nameText = ids[OVNOwnership.networkKey],
              let name = try? NetworkName(nameText), let subnet = ids[Key.subnet].flatMap({ IPv4Subnet($0) }),
              let mode = ids[Key.mode].flatMap(NetworkMode.init(rawValue:)), let mtu = ids[Key.mtu].flatMap({ Int($0) }),
              let offsets = ids[Key.plan].flatMap(ClusterNetwork.offsets) else { return nil }
        let subnet6 = ids[Key.subnet6].flatMap({ IPv6Subnet($0) })
        if ids[Key.subnet6] != nil && subnet6 == nil { return nil }
        self.init(
            name: name, profile: ids[Key.profile] ?? "", mode: mode, subnet: subnet, subnet6: subnet6, planOffsets: offsets, mtu: mtu,
            leaseTime: ids[Key.leaseTime] ?? "1h",
            dnsServers: (ids[Key.dns] ?? "").split(separator: ",").compactMap { IPv4Address(String($0)) },
            gateways: (ids[Key.gateways] ?? "").split(separator: ",").map(String.init), created: ids[Key.created] ?? "")
    }

    /// Every vmnet network's switch, whose external_ids are its record.
    public static let readAll = OVSDBOperation.select(table: "Logical_Switch", where: OVNOwnership.owned, columns: ["external_ids"])

    /// The networks in `readAll`'s rows, by name; switches that are no well-formed record are skipped.
    public static func networks(in rows: [OVSDBRow]) -> [ClusterNetwork] {
        rows.compactMap { ClusterNetwork(externalIDs: $0.map("external_ids")) }.sorted { $0.name.value < $1.name.value }
    }

    /// "1 2-63 64-191 192-254" back into offsets.
    static func offsets(_ text: String) -> AddressPlan.Offsets? {
        let words = text.split(separator: " ")
        guard words.count == 4, let gateway = UInt32(words[0]) else { return nil }
        func range(_ word: Substring) -> ClosedRange<UInt32>? {
            let bounds = word.split(separator: "-")
            guard bounds.count == 2, let low = UInt32(bounds[0]), let high = UInt32(bounds[1]), low <= high else { return nil }
            return low...high
        }
        guard let staticHosts = range(words[1]), let containers = range(words[2]), let dhcp = range(words[3]) else { return nil }
        return AddressPlan.Offsets(gateway: gateway, staticHosts: staticHosts, containers: containers, dhcp: dhcp)
    }
}
