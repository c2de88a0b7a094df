/// The fixed MAC address of a network's bridge. A bridge without one takes the lowest MAC of
/// its ports, so a guest with a lower MAC joining changed the gateway's MAC under the
/// existing guests (they lost it for ~25 s, until their ARP entry went stale).
public enum BridgeMAC {
    /// Locally administered, derived from the network's name: the same across down/up and
    /// reboots, different per network.
    public static func address(for name: NetworkName) -> MACAddress {
        MACAddress.generated(from: "vmnet-bridge/" + name.value)
    }
}
