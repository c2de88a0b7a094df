/// Picks free subnets of one family. A pure function of the pools and the claims: no host
/// access. Inlinable, like `Subnet`, so that each caller runs it specialised.
public struct SubnetAllocator<Address: AddressFamily>: Sendable {
    public let claims: [SubnetClaim<Address>]
    /// Disjoint, sorted [first, last] intervals covering every claim, for O(log n) checks.
    @usableFromInline let taken: [(first: Address.Bits, last: Address.Bits)]

    @inlinable public init(claims: [SubnetClaim<Address>]) {
        self.claims = claims
        let sorted = claims.map { (first: $0.subnet.first.bits, last: $0.subnet.last.bits) }.sorted { $0.first < $1.first }
        var merged: [(first: Address.Bits, last: Address.Bits)] = []
        merged.reserveCapacity(sorted.count)
        for interval in sorted {
            if let tail = merged.last, interval.first <= tail.last || (tail.last != .max && interval.first == tail.last + 1) {
                merged[merged.count - 1].last = max(tail.last, interval.last)
            } else {
                merged.append(interval)
            }
        }
        taken = merged
    }

    @inlinable public func isFree(_ subnet: Subnet<Address>) -> Bool {
        let first = subnet.first.bits, last = subnet.last.bits
        // The last interval starting at or before `last` is the only one that can reach in.
        var low = 0, high = taken.count
        while low < high {
            let middle = (low + high) / 2
            if taken[middle].first <= last { low = middle + 1 } else { high = middle }
        }
        return low == 0 || taken[low - 1].last < first
    }

    /// Every claim that overlaps `subnet`, in either direction.
    @inlinable public func conflicts(with subnet: Subnet<Address>) -> [SubnetClaim<Address>] {
        var seen: Set<String> = []
        return claims.filter { $0.subnet.overlaps(subnet) && seen.insert($0.origin).inserted }
    }

    /// The preferred subnet for `name`: the pools are tried in order (a later pool is a
    /// fallback for when the earlier ones are taken, e.g. by a VPN's 10.0.0.0/8), and probing
    /// in each starts at a slot derived from the name's hash, so the same name gets the same
    /// subnet again on the same host.
    @inlinable public func allocate(name: String, pools: [Subnet<Address>], prefixLength: Int) throws(VmnetError) -> Subnet<Address> {
        let slotCounts = pools.map { UInt64(1) << UInt64(min(Address.maximumSlotBits, prefixLength - min(prefixLength, $0.prefixLength))) }
        guard slotCounts.reduce(0, +) > 0 else { throw .invalid("no \(Address.qualifier)pools to allocate a /\(prefixLength) from") }
        let hash = FNVHash.hash(name)
        for (pool, count) in zip(pools, slotCounts) where count > 0 {
            let start = hash % count
            for step in 0..<count {
                let offset = Address.Bits(truncatingIfNeeded: (start + step) % count) << (Address.bitWidth - prefixLength)
                let candidate = Subnet(containing: Address(bits: pool.network.bits &+ offset), prefixLength: prefixLength)
                if isFree(candidate) { return candidate }
            }
        }
        throw VmnetError(.exhausted, "no free \(Address.qualifier)/\(prefixLength) left for '\(name)': "
            + pools.map(exhaustionReason).joined(separator: "; ") + "; " + Address.exhaustionAdvice)
    }

    /// Why `chosen` came from a fallback pool: "POOL is taken by …: using FALLBACK", or nil
    /// when it lies in the first pool (or in none: a subnet the user gave).
    @inlinable public func fallbackNote(for chosen: Subnet<Address>, pools: [Subnet<Address>]) -> String? {
        guard let used = pools.firstIndex(where: { $0.contains(chosen.network) }), used > 0 else { return nil }
        let skipped = pools[..<used].map { String(exhaustionReason($0).dropFirst("pool ".count)) }
        return skipped.joined(separator: "; ") + ": using \(pools[used])"
    }

    @inlinable func exhaustionReason(_ pool: Subnet<Address>) -> String {
        let blockers = conflicts(with: pool)
        let shown = blockers.prefix(4).map(\.origin).joined(separator: ", ")
        let more = blockers.count > 4 ? " and \(blockers.count - 4) more" : ""
        return "pool \(pool) is taken by \(shown)\(more)"
    }
}
