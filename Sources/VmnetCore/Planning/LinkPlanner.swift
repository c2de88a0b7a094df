/// Turns wanted bridges and the observed host into `ip -batch` lines: one process for any
/// number of links, and only the steps that are missing.
public enum LinkPlanner {
    public static func bringUp(_ networks: [NetworkRecord], host: HostSnapshot) -> [String] {
        var lines: [String] = []
        for network in networks {
            let bridge = network.bridge
            if !host.interfaces.contains(bridge) {
                // With STP off a new port forwards at once; forward_delay 0 makes that explicit.
                lines.append("link add name \(bridge) type bridge stp_state 0 forward_delay 0")
            }
            let keeper = BridgeNamer.keeperPort(for: bridge)
            if !host.interfaces.contains(keeper.port) {
                // Same MTU as the bridge: a port with a smaller one would lower the bridge's.
                lines.append("link add name \(keeper.port) mtu \(network.effectiveMTU) type veth peer name \(keeper.peer) mtu \(network.effectiveMTU)")
            }
            lines.append("link set dev \(keeper.port) master \(bridge)")
            lines.append("link set dev \(bridge) mtu \(network.effectiveMTU)")
            let wanted = InterfaceAddress(interface: bridge, address: network.gateway, prefixLength: network.subnet.prefixLength)
            if !host.addresses.contains(wanted) {
                lines.append("address replace \(network.gateway)/\(network.subnet.prefixLength) dev \(bridge)")
            }
            lines.append("link set dev \(bridge) up")
        }
        return lines
    }

    /// The link group vmnet moves links into just before deleting them.
    public static let deletionGroup = 7_761_262

    /// Deletes the networks' bridges and keeper ports that exist, as one group: the kernel
    /// then waits for one RCU grace period for all of them instead of one per link, which
    /// is what made tearing down many bridges slow.
    public static func tearDown(_ networks: [NetworkRecord], present interfaces: Set<String>) -> [String] {
        let links = networks.flatMap { [$0.bridge, BridgeNamer.keeperPort(for: $0.bridge).port] }.filter(interfaces.contains)
        guard !links.isEmpty else { return [] }
        return links.map { "link set dev \($0) group \(deletionGroup)" } + ["link delete group \(deletionGroup)"]
    }
}
