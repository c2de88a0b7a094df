import JSON

/// How profiles are shown.
public enum ProfileReport {
    public static func json(_ profile: Profile, file: String) -> JSONValue {
        var object: JSONObject = [
            "name": .string(profile.name),
            "file": .string(file),
            "description": .string(profile.description),
            "mode": .string(profile.mode.rawValue),
            "pools": .array(profile.pools.map { .string($0.description) }),
            "prefix_length": JSONValue(profile.prefixLength),
            "address_plan": profile.planOffsets.json,
            "domain_suffix": .string(profile.domainSuffix),
            "lease_time": .string(profile.leaseTime),
            "mtu": JSONValue(profile.mtu),
            "dns_upstream": profile.dnsUpstream.json,
            "isolation": .bool(profile.isolation),
            "firewall": .string(profile.firewall?.rawValue ?? "auto"),
            "read_host_files": .bool(profile.readHostFiles),
            "ipv6": profile.ipv6.json,
        ]
        // Only cluster profiles name their engine: bridge profiles print as they always did.
        if profile.engine != .bridge { object["engine"] = .string(profile.engine.rawValue) }
        return .object(object)
    }

    public static func table(_ profiles: [(profile: Profile, file: String)]) -> String {
        var table = TextTable(headers: ["NAME", "MODE", "POOLS", "PREFIX", "IPV6", "DESCRIPTION"])
        for (profile, _) in profiles {
            table.append([profile.name, profile.mode.rawValue, profile.pools.map(\.description).joined(separator: ","), "/\(profile.prefixLength)", profile.ipv6.description, profile.description])
        }
        return table.render()
    }
}
