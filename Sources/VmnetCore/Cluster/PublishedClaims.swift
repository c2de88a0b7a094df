/// The subnets a member host uses itself (routes, addresses, its local vmnet networks,
/// other tools' networks), published in NB_Global's external_ids as
/// `vmnet-claims-CHASSIS` = space-separated CIDRs, so that a network created on another host
/// never takes a subnet its gateway host already routes.
public enum PublishedClaims {
    public static let keyPrefix = "vmnet-claims-"

    public static func key(chassis: String) -> String { keyPrefix + chassis }

    /// This host's IPv4 claims as published: its cluster ports' addresses (`vmh-*`) are left
    /// out, they are the cluster networks' own subnets and already in NB.
    public static func text(host: HostSnapshot, networks: [NetworkRecord]) -> String {
        let ignored = Set(networks.map(\.bridge)).union(host.interfaces.filter { $0.hasPrefix(OVNNames.memberInterfacePrefix) })
        let claims = ClaimCollector.claims(of: IPv4Address.self, host: host, networks: networks, ignoring: ignored, nameservers: true)
            .map(\.subnet)
        return Array(Set(claims)).sorted().map(\.description).joined(separator: " ")
    }

    /// A published value read back; words that are no CIDR are skipped (another version may
    /// add to it).
    public static func claims(_ text: String, chassis: String) -> [SubnetClaim<IPv4Address>] {
        text.split(separator: " ").compactMap { IPv4Subnet($0) }.map { SubnetClaim(subnet: $0, origin: "\($0) in use on chassis \(chassis)") }
    }

    /// The mutation that replaces this host's published claims (delete by key, then insert:
    /// OVSDB's map insert never overwrites).
    public static func publish(_ text: String, chassis: String) -> OVSDBOperation {
        .mutate(table: "NB_Global", where: [], mutations: [
            .delete("external_ids", .strings([key(chassis: chassis)])),
            .insert("external_ids", .map([key(chassis: chassis): text])),
        ])
    }
}
