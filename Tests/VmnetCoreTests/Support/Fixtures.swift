import VmnetCore

/// Fixed networks for renderer and planner tests.
enum Fixtures {
    static func network(
        _ name: String, subnet: String, mode: NetworkMode = .nat, bridge: String? = nil, mtu: Int? = nil,
        isolation: Bool = true, firewall: FirewallKind = .nftables, enabled: Bool = true, subnet6: String? = nil
    ) -> NetworkRecord {
        let subnet = IPv4Subnet(subnet)!
        return NetworkRecord(
            name: try! NetworkName(name), profile: mode == .nat ? "nat" : "host-only", mode: mode, subnet: subnet,
            planOffsets: .proportional(prefixLength: subnet.prefixLength), bridge: bridge ?? "vmn-\(name)", mtu: mtu,
            domain: "\(name).vmnet", leaseTime: "1h", dnsUpstream: .auto, isolation: isolation, firewall: firewall,
            enabled: enabled, created: "2026-01-02T03:04:05Z", subnet6: subnet6.map { IPv6Subnet($0)! })
    }

    static let web = network("web", subnet: "10.140.7.0/24")
    static let lab = network("lab", subnet: "10.140.9.0/24", mode: .hostOnly, mtu: 9000)
    static let open = network("open", subnet: "10.140.11.0/24", isolation: false)
    /// Dual-stack: the same networks with a /64 each.
    static let web6 = network("web6", subnet: "10.140.13.0/24", subnet6: "fd42:1:2:7::/64")
    static let lab6 = network("lab6", subnet: "10.140.15.0/24", mode: .hostOnly, mtu: 9000, subnet6: "fd42:1:2:9::/64")
}
