/// What a network's guests may reach on the host itself (any of its addresses).
public enum HostAccessPolicy: String, CaseIterable, Sendable {
    /// DHCP, DNS and ping; replies to what the host started. New networks get it.
    case services
    /// Every port of the host, as before the policy existed (records without one read so).
    case all
}
