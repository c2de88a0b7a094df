/// Decides a new network's record from the request, its profile and the host as observed.
/// Pure: the shell reads the host and stores the result.
public enum NetworkPlanner {
    public static func record(
        for request: CreateRequest, profile: Profile, host: HostSnapshot, existing: [NetworkRecord],
        defaultFirewall: FirewallKind, created: String, uniqueLocal: UniqueLocalPrefix? = nil
    ) throws(VmnetError) -> NetworkRecord {
        if let wanted = request.subnet, !(Profile.minimumPrefixLength...Profile.maximumPrefixLength).contains(wanted.prefixLength) {
            throw .invalid("subnet \(wanted): use a prefix length from /\(Profile.minimumPrefixLength) to /\(Profile.maximumPrefixLength)")
        }
        let subnet = try choose(
            request.subnet, option: "subnet", pools: profile.pools, prefixLength: profile.prefixLength,
            request: request, profile: profile, host: host, existing: existing)
        let offsets = subnet.prefixLength == profile.prefixLength ? profile.planOffsets : .proportional(prefixLength: subnet.prefixLength)

        let subnet6 = try self.subnet6(for: request, profile: profile, host: host, existing: existing, uniqueLocal: uniqueLocal)

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
            readHostFiles: profile.readHostFiles, subnet6: subnet6, autostart: request.autostart,
            hostAccess: profile.hostAccess, egress: profile.egress, owner: request.owner)
    }

    /// Whether the network gets a /64, and which: `--subnet6` checked like `--subnet`, else
    /// one drawn from this host's unique local /48 or the profile's IPv6 pools.
    static func subnet6(
        for request: CreateRequest, profile: Profile, host: HostSnapshot, existing: [NetworkRecord], uniqueLocal: UniqueLocalPrefix?,
        claimed elsewhere: [SubnetClaim<IPv6Address>] = []
    ) throws(VmnetError) -> IPv6Subnet? {
        if request.noIPv6 {
            if let wanted = request.subnet6 { throw .invalid("--subnet6 \(wanted) and --no-ipv6 contradict each other: give one") }
            return nil
        }
        if let wanted = request.subnet6 {
            guard wanted.prefixLength == AddressPlan6.prefixLength else {
                throw .invalid("subnet6 \(wanted): give a /64 (SLAAC and DHCPv6 on a bridge need exactly 64 bits of interface ID)")
            }
            return try choose(wanted, option: "subnet6", pools: [], prefixLength: AddressPlan6.prefixLength,
                              request: request, profile: profile, host: host, existing: existing, claimed: elsewhere)
        }
        let pools: [IPv6Subnet]
        switch profile.ipv6 {
        case .off:
            return nil
        case .ula:
            guard let uniqueLocal else { throw .failed("choosing an IPv6 /64: this host's unique local prefix was not read") }
            pools = [uniqueLocal.subnet]
        case .pools(let profilePools):
            pools = profilePools
        }
        return try choose(nil, option: "subnet6", pools: pools, prefixLength: AddressPlan6.prefixLength,
                          request: request, profile: profile, host: host, existing: existing, claimed: elsewhere)
    }

    /// The subnet of one family: `wanted` (from `--OPTION`) when it is private (unless
    /// `--allow-public`) and collides with nothing, else a free slot of the pools, which must
    /// be private too. `elsewhere`: what other hosts use (a cluster network's subnet must be
    /// free on them too).
    static func choose<Address: AddressFamily>(
        _ wanted: Subnet<Address>?, option: String, pools: [Subnet<Address>], prefixLength: Int,
        request: CreateRequest, profile: Profile, host: HostSnapshot, existing: [NetworkRecord], claimed elsewhere: [SubnetClaim<Address>] = []
    ) throws(VmnetError) -> Subnet<Address> {
        let allocator = SubnetAllocator(claims: ClaimCollector.claims(of: Address.self, host: host, networks: existing) + elsewhere)
        if let wanted {
            if !request.allowPublic, let problem = PrivateRanges.problem(with: wanted, what: option) { throw .invalid(problem) }
            let conflicts = allocator.conflicts(with: wanted)
            if !conflicts.isEmpty {
                throw .conflict("\(option) \(wanted) collides with \(conflicts.map(\.origin).joined(separator: ", ")): choose another or leave out --\(option)")
            }
            return wanted
        }
        let what = "profile '\(profile.name)' \(Address.qualifier)pool"
        if !request.allowPublic, let problem = pools.lazy.compactMap({ PrivateRanges.problem(with: $0, what: what) }).first {
            throw .invalid(problem)
        }
        return try poolAllocator(allocator).allocate(name: request.name.value, pools: pools, prefixLength: prefixLength)
    }

    /// What a pool avoids beyond `allocator`'s claims: other tools' default subnets (an
    /// explicit subnet may take them). The pick and its fallback note read the same claims.
    private static func poolAllocator<Address: AddressFamily>(_ allocator: SubnetAllocator<Address>) -> SubnetAllocator<Address> {
        SubnetAllocator(claims: allocator.claims + PeerDefaultSubnets.claims(of: Address.self))
    }

    /// What `create` tells when the subnet it picked is not in the profile's first pool
    /// (which pool, and what took the earlier ones), or nil.
    public static func fallbackNote(
        for record: NetworkRecord, request: CreateRequest, profile: Profile, host: HostSnapshot, existing: [NetworkRecord]
    ) -> String? {
        guard request.subnet == nil else { return nil }
        let allocator = SubnetAllocator(claims: ClaimCollector.claims(of: IPv4Address.self, host: host, networks: existing))
        return poolAllocator(allocator).fallbackNote(for: record.subnet, pools: profile.pools)
    }

    /// Why `request` disagrees with the network that already has its name, or nil when a
    /// repeated `create` may simply succeed.
    public static func mismatch(_ request: CreateRequest, existing record: NetworkRecord) -> String? {
        var differences: [String] = []
        if let profile = request.profile, profile != record.profile { differences.append("profile \(record.profile)") }
        if let subnet = request.subnet, subnet != record.subnet { differences.append("subnet \(record.subnet)") }
        if let subnet6 = request.subnet6, subnet6 != record.subnet6 { differences.append("subnet6 \(record.subnet6.map(\.description) ?? "off")") }
        if request.noIPv6, let subnet6 = record.subnet6 { differences.append("subnet6 \(subnet6)") }
        if let mtu = request.mtu, mtu != record.effectiveMTU { differences.append("MTU \(record.effectiveMTU)") }
        if let bridge = request.bridge, bridge != record.bridge { differences.append("bridge \(record.bridge)") }
        if let firewall = request.firewall, firewall != record.firewall { differences.append("firewall \(record.firewall.rawValue)") }
        let autostartDiffers = !request.autostart && record.autostart
        if autostartDiffers && differences.isEmpty {
            return "network '\(record.name)' already exists with autostart on: 'vmnet autostart \(record.name) off' changes it in place"
        }
        if autostartDiffers { differences.append("autostart on") }
        guard !differences.isEmpty else { return nil }
        return "network '\(record.name)' already exists with \(differences.joined(separator: ", ")): 'vmnet destroy \(record.name)' first to change it"
    }
}
