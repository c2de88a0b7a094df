/// Where a NAT network's guests may go through the host. Host-only networks forward nothing,
/// whatever their record says; other vmnet networks stay governed by `isolation`.
public enum EgressPolicy: String, CaseIterable, Sendable {
    /// Anywhere but private, CGNAT and link-local ranges (the laptop's LAN): the sandbox profile.
    case internet
    /// Anywhere, as before the policy existed (records without one read so; the shipped nat profile).
    case all
    /// Nowhere beyond the host: the gateway's services stay.
    case none

    /// RFC 1918, shared address space (RFC 6598) and link-local: what `internet` refuses.
    public static let privateRanges4 = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]
    /// Unique local and link-local.
    public static let privateRanges6 = ["fc00::/7", "fe80::/10"]
}
