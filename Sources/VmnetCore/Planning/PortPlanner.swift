/// Guests' ports on vmnet bridges: which ports are not vmnet's own, when `down` must refuse,
/// and which remembered ports `up` puts back on a bridge that lost them (after `down
/// --force`, a runtime deleting the bridge, or a reboot that kept the guests' taps).
public enum PortPlanner {
    /// The bridge's ports other than its keeper port, sorted.
    public static func guestPorts(_ ports: [String], bridge: String) -> [String] {
        let keeper = BridgeNamer.keeperPort(for: bridge)
        return ports.filter { $0 != keeper.port && $0 != keeper.peer }.sorted()
    }

    /// Re-attaches every remembered port that still exists and has no master. A port that
    /// another bridge took meanwhile is left where it is.
    public static func reattach(remembered: [String], bridge: String, interfaces: Set<String>, masters: [String: String]) -> [LinkOperation] {
        guestPorts(remembered, bridge: bridge)
            .filter { interfaces.contains($0) && masters[$0] == nil }
            .map { .setMaster(name: $0, master: bridge) }
    }

    /// What `down` says when guests are still attached and `--force` was not given; nil when
    /// no network has any.
    public static func refusal(_ attached: [(network: NetworkName, bridge: String, ports: [String])]) -> VmnetError? {
        let busy = attached.filter { !$0.ports.isEmpty }
        guard !busy.isEmpty else { return nil }
        let list = busy.map { "\($0.network) (\($0.bridge): \($0.ports.joined(separator: ", ")))" }.joined(separator: "; ")
        return .conflict("taking down \(list): guests are attached: stop them first, or use --force ('vmnet up' attaches them again)")
    }
}
