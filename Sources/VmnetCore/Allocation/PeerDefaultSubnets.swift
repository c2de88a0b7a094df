/// The subnets other tools on a desktop take without asking: libvirt's `default` network
/// (virbr0), podman's `podman` network (podman0) and Docker's docker0. A pool never yields
/// them even while they are free (libvirt not yet started, podman before its first
/// container): the tool would later fail to start its network, or route over vmnet's.
/// An explicit `--subnet` may still take them.
public enum PeerDefaultSubnets {
    public static let ipv4: [SubnetClaim<IPv4Address>] = [
        ("192.168.122.0/24", "libvirt's default network (virbr0)"),
        ("10.88.0.0/16", "podman's default network (podman0)"),
        ("172.17.0.0/16", "Docker's default bridge (docker0)"),
    ].map { SubnetClaim(subnet: IPv4Subnet($0.0)!, origin: $0.1) }

    /// The family's defaults (none for IPv6: these tools' default networks are IPv4 only).
    public static func claims<Address: AddressFamily>(of family: Address.Type) -> [SubnetClaim<Address>] {
        ipv4 as? [SubnetClaim<Address>] ?? []
    }
}
