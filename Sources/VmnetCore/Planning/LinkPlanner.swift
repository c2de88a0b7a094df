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
                // No address of the kernel's: an IPv6 network's link-local is added below without
                // duplicate address detection, and a network with IPv6 off has no IPv6 address.
                operations.append(.disableIPv6Addresses(name: bridge))
            }
            let keeper = BridgeNamer.keeperPort(for: bridge)
            if !host.interfaces.contains(keeper.port) {
                // Same MTU as the bridge: a port with a smaller one would lower the bridge's.
                operations.append(.addVeth(name: keeper.port, peer: keeper.peer, mtu: mtu))
                // The pair is up for the bridge's carrier only: without addresses it adds no
                // IPv6 chatter to the bridge and no address work to every `up`.
                operations.append(.disableIPv6Addresses(name: keeper.port))
                operations.append(.disableIPv6Addresses(name: keeper.peer))
                // The peer is no bridge port: it hears dnsmasq's advertisements through the pair,
                // and addrgenmode none still lets it take a SLAAC address in the network's own
                // /64. Below IPv6's minimum MTU the kernel drops IPv6 from it altogether (no
                // /proc/sys write needed); it only ever sinks frames.
                operations.append(.setMTU(name: keeper.peer, mtu: LinkPlanner.keeperPeerMTU))
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
                !host.addresses6.contains(InterfaceAddress(interface: bridge, address: gateway6, prefixLength: AddressPlan6.prefixLength))
            {
                operations.append(.replaceAddress6(name: bridge, address: gateway6, prefixLength: AddressPlan6.prefixLength))
            }
            if network.hasIPv6 {
                // Link-local addresses are not in the snapshot; replacing an existing one is a no-op.
                operations.append(.replaceAddress6(name: bridge, address: BridgeMAC.linkLocal(for: network.name), prefixLength: 64))
            }
            operations.append(.setUp(name: bridge))
        }
        return operations
    }

    /// One below IPv6's minimum (1280).
    public static let keeperPeerMTU = 1279

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
