/// The address space a vmnet subnet may use without `--allow-public`: for IPv4, RFC 1918,
/// the shared range (100.64.0.0/10) and the benchmarking range (198.18.0.0/15); for IPv6,
/// unique local addresses (RFC 4193). A subnet outside them takes real internet addresses
/// away from the host (its route to 8.8.8.0/24 would point into the bridge).
public enum PrivateRanges {
    public static let ranges: [IPv4Subnet] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "198.18.0.0/15"]
        .map { IPv4Subnet($0)! }

    /// Unique local addresses (RFC 4193), the IPv6 counterpart of the private ranges.
    public static let uniqueLocal = IPv6Subnet("fc00::/7")!

    public static func contains<Address: AddressFamily>(_ subnet: Subnet<Address>) -> Bool {
        Address.privateRanges.contains { $0.prefixLength <= subnet.prefixLength && $0.contains(subnet.network) }
    }

    /// Why `subnet` is refused, or nil when it is private, shared or unique local.
    public static func problem<Address: AddressFamily>(with subnet: Subnet<Address>, what: String) -> String? {
        guard !contains(subnet) else { return nil }
        let (outside, advice) = Address.publicSpace
        return "\(what) \(subnet) is \(outside): the host would lose its route to the real \(subnet): \(advice)"
    }
}
