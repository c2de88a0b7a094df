/// Decides a new network's record from the request, its profile and the host as observed.
/// Pure: the shell reads the host and stores the result.
public enum NetworkPlanner {
    public static func record(
        for request: CreateRequest, profile: Profile, host: HostSnapshot, existing: [NetworkRecord],
        defaultFirewall: FirewallKind, created: String
    ) throws(VmnetError) -> NetworkRecord {
        let allocator = SubnetAllocator(claims: ClaimCollector.claims(host: host, networks: existing))
        let subnet: IPv4Subnet
        if let wanted = request.subnet {
            guard (Profile.minimumPrefixLength...Profile.maximumPrefixLength).contains(wanted.prefixLength) else {
                throw .invalid("subnet \(wanted): use a prefix length from /\(Profile.minimumPrefixLength) to /\(Profile.maximumPrefixLength)")
            }
            if !request.allowPublic, let problem = PrivateRanges.problem(with: wanted, what: "subnet") { throw .invalid(problem) }
            let conflicts = allocator.conflicts(with: wanted)
            if !conflicts.isEmpty {
                throw .conflict("subnet \(wanted) collides with \(conflicts.map(\.origin).joined(separator: ", ")): choose another or leave out --subnet")
            }
            subnet = wanted
        } else {
            if !request.allowPublic, let problem = profile.pools.lazy.compactMap({ PrivateRanges.problem(with: $0, what: "profile '\(profile.name)' pool") }).first {
                throw .invalid(problem)
            }
            subnet = try allocator.allocate(name: request.name.value, pools: profile.pools, prefixLength: profile.prefixLength)
        }
        let offsets = subnet.prefixLength == profile.prefixLength ? profile.planOffsets : .proportional(prefixLength: subnet.prefixLength)

        let takenBridges = host.interfaces.union(existing.map(\.bridge))
        let bridge: String
        if let wanted = request.bridge {
            if let problem = BridgeNamer.problem(with: wanted) { throw .invalid(problem) }
            if let owner = existing.first(where: { $0.bridge == wanted }) {
                throw .conflict("bridge \(wanted) belongs to vmnet network '\(owner.name)': choose another --bridge")
            }
            if host.interfaces.contains(wanted) {
                throw .conflict("interface \(wanted) already exists on this host: choose another --bridge")
            }
            bridge = wanted
        } else {
            bridge = BridgeNamer.bridgeName(for: request.name, taken: takenBridges)
        }

        let mtu = request.mtu ?? profile.mtu
        if let mtu, !Profile.mtuRange.contains(mtu) {
            throw .invalid("MTU \(mtu) is out of range: use \(Profile.mtuRange.lowerBound) to \(Profile.mtuRange.upperBound)")
        }
        return NetworkRecord(
            name: request.name, profile: profile.name, mode: profile.mode, subnet: subnet, planOffsets: offsets,
            bridge: bridge, mtu: mtu, domain: "\(request.name).\(profile.domainSuffix)", leaseTime: profile.leaseTime,
            dnsUpstream: profile.dnsUpstream, isolation: profile.isolation,
            firewall: request.firewall ?? profile.firewall ?? defaultFirewall, enabled: false, created: created,
            readHostFiles: profile.readHostFiles)
    }

    /// Why `request` disagrees with the network that already has its name, or nil when a
    /// repeated `create` may simply succeed.
    public static func mismatch(_ request: CreateRequest, existing record: NetworkRecord) -> String? {
        var differences: [String] = []
        if let profile = request.profile, profile != record.profile { differences.append("profile \(record.profile)") }
        if let subnet = request.subnet, subnet != record.subnet { differences.append("subnet \(record.subnet)") }
        if let mtu = request.mtu, mtu != record.effectiveMTU { differences.append("MTU \(record.effectiveMTU)") }
        if let bridge = request.bridge, bridge != record.bridge { differences.append("bridge \(record.bridge)") }
        if let firewall = request.firewall, firewall != record.firewall { differences.append("firewall \(record.firewall.rawValue)") }
        guard !differences.isEmpty else { return nil }
        return "network '\(record.name)' already exists with \(differences.joined(separator: ", ")): 'vmnet destroy \(record.name)' first to change it"
    }
}
