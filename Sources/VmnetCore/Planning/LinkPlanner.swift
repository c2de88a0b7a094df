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

    public static func tearDown(_ networks: [NetworkRecord], host: HostSnapshot) -> [String] {
        networks.flatMap { network in
            [network.bridge, BridgeNamer.keeperPort(for: network.bridge).port]
                .filter { host.interfaces.contains($0) }
                .map { "link delete dev \($0)" }
        }
    }
}
