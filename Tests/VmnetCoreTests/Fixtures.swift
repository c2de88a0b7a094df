import VmnetCore

/// Fixed networks for renderer and planner tests.
enum Fixtures {
    static func network(
        _ name: String, subnet: String, mode: NetworkMode = .nat, bridge: String? = nil, mtu: Int? = nil,
        isolation: Bool = true, firewall: FirewallKind = .nftables, enabled: Bool = true
    ) -> NetworkRecord {
        let subnet = IPv4Subnet(subnet)!
        return NetworkRecord(
            name: try! NetworkName(name), profile: mode == .nat ? "nat" : "host-only", mode: mode, subnet: subnet,
            planOffsets: .proportional(prefixLength: subnet.prefixLength), bridge: bridge ?? "vmn-\(name)", mtu: mtu,
            domain: "\(name).vmnet", leaseTime: "1h", dnsUpstream: .auto, isolation: isolation, firewall: firewall,
            enabled: enabled, created: "2026-01-02T03:04:05Z")
    }

    static let web = network("web", subnet: "10.140.7.0/24")
    static let lab = network("lab", subnet: "10.140.9.0/24", mode: .hostOnly, mtu: 9000)
    static let open = network("open", subnet: "10.140.11.0/24", isolation: false)
}
