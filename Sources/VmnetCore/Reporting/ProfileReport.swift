import JSON

/// How profiles are shown.
public enum ProfileReport {
    public static func json(_ profile: Profile, file: String) -> JSONValue {
        let offsets = profile.planOffsets
        func pair(_ range: ClosedRange<UInt32>) -> JSONValue { [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))] }
        let upstream: JSONValue
        switch profile.dnsUpstream {
        case .auto: upstream = "auto"
        case .servers(let servers): upstream = .array(servers.map { .string($0.description) })
        }
        return .object([
            "name": .string(profile.name),
            "file": .string(file),
            "description": .string(profile.description),
            "mode": .string(profile.mode.rawValue),
            "pools": .array(profile.pools.map { .string($0.description) }),
            "prefix_length": JSONValue(profile.prefixLength),
            "address_plan": .object([
                "gateway": .integer(Int64(offsets.gateway)), "static": pair(offsets.staticHosts),
                "containers": pair(offsets.containers), "dhcp": pair(offsets.dhcp),
            ]),
            "domain_suffix": .string(profile.domainSuffix),
            "lease_time": .string(profile.leaseTime),
            "mtu": JSONValue(profile.mtu),
            "dns_upstream": upstream,
            "isolation": .bool(profile.isolation),
            "firewall": .string(profile.firewall?.rawValue ?? "auto"),
            "read_host_files": .bool(profile.readHostFiles),
        ])
    }

    public static func table(_ profiles: [(profile: Profile, file: String)]) -> String {
        var table = TextTable(headers: ["NAME", "MODE", "POOLS", "PREFIX", "DESCRIPTION"])
        for (profile, _) in profiles {
            table.append([profile.name, profile.mode.rawValue, profile.pools.map(\.description).joined(separator: ","), "/\(profile.prefixLength)", profile.description])
        }
        return table.render()
    }
}
