/// Picks free /64s. A pure function of the pools and the claims: no host access. Claims are
/// few (a route or address per interface, a /64 per network), so a linear check suffices.
public struct IPv6SubnetAllocator: Sendable {
    public let claims: [SubnetClaim6]

    public init(claims: [SubnetClaim6]) { self.claims = claims }

    public func isFree(_ subnet: IPv6Subnet) -> Bool { !claims.contains { $0.subnet.overlaps(subnet) } }

    /// Every claim that overlaps `subnet`, in either direction.
    public func conflicts(with subnet: IPv6Subnet) -> [SubnetClaim6] {
        var seen: Set<String> = []
        return claims.filter { $0.subnet.overlaps(subnet) && seen.insert($0.origin).inserted }
    }

    /// The preferred /64 for `name`: probing starts at a slot derived from the name's hash,
    /// so the same name gets the same /64 again on the same host. A pool offers at most 2^16
    /// slots (a /48's worth); a larger pool is probed in its first /48.
    public func allocate(name: String, pools: [IPv6Subnet]) throws(VmnetError) -> IPv6Subnet {
        let length = AddressPlan6.prefixLength
        let slotCounts = pools.map { UInt64(1) << UInt64(min(16, length - min(length, $0.prefixLength))) }
        let total = slotCounts.reduce(0, +)
        guard total > 0 else { throw .invalid("no IPv6 pools to allocate a /64 from") }
        let start = FNVHash.hash(name) % total
        for step in 0..<total {
            var slot = (start + step) % total
            for (pool, count) in zip(pools, slotCounts) {
                if slot < count {
                    let candidate = IPv6Subnet(
                        containing: IPv6Address(high: pool.network.high &+ slot, low: 0), prefixLength: length)
                    if isFree(candidate) { return candidate }
                    break
                }
                slot -= count
            }
        }
        let reasons = pools.map { pool in
            let blockers = conflicts(with: pool)
            return "pool \(pool) is taken by \(blockers.prefix(4).map(\.origin).joined(separator: ", "))" + (blockers.count > 4 ? " and \(blockers.count - 4) more" : "")
        }
        throw VmnetError(.exhausted, "no free IPv6 /64 left for '\(name)': " + reasons.joined(separator: "; ")
            + "; add an IPv6 pool to the profile, set \"ipv6\": \"off\", or destroy unused networks")
    }
}
