/// Renders libvirt's view of a vmnet network: a `<network>` in bridge mode (libvirt creates
/// nothing, adds no rules and runs no dnsmasq; it rejects `<ip>`, `<mtu>` and `<dns>` in this
/// mode) and a domain `<interface>` that joins it.
///
/// Neither carries IPv6: guests get it from vmnet's dnsmasq (RA, DHCPv6) like IPv4. Measured
/// with libvirtd 9.0: an IPv6 `<ip>` in a bridge-mode network is refused like an IPv4 one, a
/// `<route>` is refused (its gateway is on no `<ip>`), and `ipv6='yes'` is accepted but does
/// nothing here (it only matters for bridges libvirt creates); the QEMU driver refuses
/// `<ip>`/`<route>` in a domain `<interface>`.
public enum LibvirtXML {
    public static func network(_ network: NetworkRecord) -> String {
        """
        <network>
          <name>\(network.name)</name>
          <forward mode='bridge'/>
          <bridge name='\(network.bridge)'/>
        </network>

        """
    }

    /// How a domain interface reaches the bridge.
    public enum Attachment: String, CaseIterable, Sendable {
        /// Through the libvirt network `vmnet install --libvirt` defines.
        case network
        /// Straight onto the bridge: no libvirt network needed (virt-qemu-run, plain qemu users).
        case bridge
    }

    /// A domain interface on the network; with `mac`, the guest gets that reservation.
    public static func interface(_ network: NetworkRecord, attachment: Attachment = .network, mac: String? = nil) -> String {
        var lines: [String]
        switch attachment {
        case .network: lines = ["<interface type='network'>", "  <source network='\(network.name)'/>"]
        case .bridge: lines = ["<interface type='bridge'>", "  <source bridge='\(network.bridge)'/>"]
        }
        if let mac { lines.append("  <mac address='\(mac)'/>") }
        lines.append("  <model type='virtio'/>")
        if let mtu = network.mtu { lines.append("  <mtu size='\(mtu)'/>") }
        lines.append("</interface>")
        return lines.joined(separator: "\n") + "\n"
    }
}
