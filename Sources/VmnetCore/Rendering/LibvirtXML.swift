/// Renders libvirt's view of a vmnet network: a `<network>` in bridge mode (libvirt creates
/// nothing, adds no rules and runs no dnsmasq; it rejects `<ip>`, `<mtu>` and `<dns>` in this
/// mode) and a domain `<interface>` that joins it.
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
