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

extension BridgeMAC {
    /// The bridge's link-local address: the EUI-64 one the kernel would derive from the
    /// bridge's MAC. vmnet adds it itself, without duplicate address detection: while the
    /// kernel's own is tentative (~1 s), dnsmasq sends its router advertisements from the ULA
    /// gateway instead, and Linux guests drop advertisements not sent from a link-local address.
    public static func linkLocal(for name: NetworkName) -> IPv6Address {
        let bytes = address(for: name).bytes
        let interfaceID = [bytes[0] ^ 0x02, bytes[1], bytes[2], 0xff, 0xfe, bytes[3], bytes[4], bytes[5]]
        return IPv6Address(high: 0xfe80_0000_0000_0000, low: interfaceID.reduce(0) { $0 << 8 | UInt64($1) })
    }
}
