/// The address space a vmnet subnet may use without `--allow-public`: RFC 1918, the shared
/// range (100.64.0.0/10) and the benchmarking range (198.18.0.0/15). A subnet outside them
/// takes real internet addresses away from the host (its route to 8.8.8.0/24 would point
/// into the bridge).
public enum PrivateRanges {
    public static let ranges: [IPv4Subnet] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "198.18.0.0/15"]
        .map { IPv4Subnet($0)! }

    public static func contains(_ subnet: IPv4Subnet) -> Bool {
        ranges.contains { $0.prefixLength <= subnet.prefixLength && $0.contains(subnet.network) }
    }

    /// Why `subnet` is refused, or nil when it is private or shared.
    public static func problem(with subnet: IPv4Subnet, what: String) -> String? {
        guard !contains(subnet) else { return nil }
        return "\(what) \(subnet) is public address space (outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and 198.18.0.0/15): the host would lose its route to the real \(subnet): choose a private subnet, or pass --allow-public if you own it"
    }

    /// Unique local addresses (RFC 4193), the IPv6 counterpart of the private ranges.
    public static let uniqueLocal = IPv6Subnet("fc00::/7")!

    /// Why an IPv6 `subnet` is refused, or nil when it is unique local.
    public static func problem6(with subnet: IPv6Subnet, what: String) -> String? {
        guard !(uniqueLocal.prefixLength <= subnet.prefixLength && uniqueLocal.contains(subnet.network)) else { return nil }
        return "\(what) \(subnet) is outside the unique local range fc00::/7: the host would lose its route to the real \(subnet): choose an fd00::/8 prefix, or pass --allow-public if it is delegated to you"
    }
}
