/// Turns wanted bridges and the observed host into link operations: only the steps that
/// are missing, all performed in-process over rtnetlink.
public enum LinkPlanner {
    public static func bringUp(_ networks: [NetworkRecord], host: HostSnapshot) -> [LinkOperation] {
        var operations: [LinkOperation] = []
        for network in networks {
            let bridge = network.bridge
            let mtu = network.effectiveMTU
            let mac = BridgeMAC.address(for: network.name)
            if host.interfaces.contains(bridge) {
                operations.append(.settleBridge(name: bridge, mac: mac))
            } else {
                operations.append(.addBridge(name: bridge, mtu: mtu, mac: mac))
            }
            let keeper = BridgeNamer.keeperPort(for: bridge)
            if !host.interfaces.contains(keeper.port) {
                // Same MTU as the bridge: a port with a smaller one would lower the bridge's.
                operations.append(.addVeth(name: keeper.port, peer: keeper.peer, mtu: mtu))
                // The pair is up for the bridge's carrier only: without addresses it adds no
                // IPv6 chatter to the bridge and no address work to every `up`.
                operations.append(.disableIPv6Addresses(name: keeper.port))
                operations.append(.disableIPv6Addresses(name: keeper.peer))
            }
            operations.append(.setMaster(name: keeper.port, master: bridge))
            // Both ends up: the bridge then has carrier while no guest is attached, so its
            // routes and systemd-resolved's scope for it never flap.
            operations.append(.setUp(name: keeper.port))
            operations.append(.setUp(name: keeper.peer))
            operations.append(.setMTU(name: bridge, mtu: mtu))
            let wanted = InterfaceAddress(interface: bridge, address: network.gateway, prefixLength: network.subnet.prefixLength)
            if !host.addresses.contains(wanted) {
                operations.append(.replaceAddress(name: bridge, address: network.gateway, prefixLength: network.subnet.prefixLength))
            }
            if let gateway6 = network.gateway6,
                !host.addresses6.contains(InterfaceAddress6(interface: bridge, address: gateway6, prefixLength: AddressPlan6.prefixLength))
            {
                operations.append(.replaceAddress6(name: bridge, address: gateway6, prefixLength: AddressPlan6.prefixLength))
            }
            operations.append(.setUp(name: bridge))
        }
        return operations
    }

    /// The link group vmnet moves links into just before deleting them.
    public static let deletionGroup = 7_761_262

    /// Deletes the networks' bridges and keeper ports that exist, as one group: the kernel
    /// then waits for one RCU grace period for all of them instead of one per link, which
    /// is what made tearing down many bridges slow.
    public static func tearDown(_ networks: [NetworkRecord], present interfaces: Set<String>) -> [LinkOperation] {
        let links = networks.flatMap { [$0.bridge, BridgeNamer.keeperPort(for: $0.bridge).port] }.filter(interfaces.contains)
        guard !links.isEmpty else { return [] }
        return links.map { .setGroup(name: $0, group: deletionGroup) } + [.deleteGroup(deletionGroup)]
    }
}
