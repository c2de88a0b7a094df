/// The systemd-resolved calls that make the host resolve a network's names: the bridge
/// becomes a per-link DNS server for the routing-only domain `~NET.vmnet`.
public enum ResolvedPlanner {
    public static func register(_ network: NetworkRecord) -> [[String]] {
        [
            ["resolvectl", "dns", network.bridge, network.gateway.description],
            ["resolvectl", "domain", network.bridge, "~\(network.domain)"],
        ]
    }

    public static func unregister(_ network: NetworkRecord) -> [[String]] {
        [["resolvectl", "revert", network.bridge]]
    }

    /// What a user without systemd-resolved adds to a dnsmasq-based resolver
    /// (NetworkManager's, or the host's own) to resolve the network's names.
    public static func manualLine(_ network: NetworkRecord) -> String {
        "server=/\(network.domain)/\(network.gateway)"
    }
}
