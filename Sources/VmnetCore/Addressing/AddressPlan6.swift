/// How a network's /64 is divided: the gateway ::1, reservations in ::2–::ffff (a
/// reservation's default IPv6 address carries its IPv4 host offset, so 10.140.3.20/24 pairs
/// with ::14), DHCPv6 leases in ::1:0–::1:ffff and containers in ::2:0–::2:ffff. SLAAC
/// addresses come from EUI-64 or privacy interface IDs, far from all three.
public struct AddressPlan6: Hashable, Sendable {
    public let subnet: IPv6Subnet
    public let gateway: IPv6Address
    public let staticHosts: ClosedRange<IPv6Address>
    public let dhcp: ClosedRange<IPv6Address>
    public let containers: ClosedRange<IPv6Address>

    public static let prefixLength = 64

    public init(subnet: IPv6Subnet) {
        self.subnet = subnet
        gateway = subnet.host(1)
        staticHosts = subnet.host(2)...subnet.host(0xffff)
        dhcp = subnet.host(0x1_0000)...subnet.host(0x1_ffff)
        containers = subnet.host(0x2_0000)...subnet.host(0x2_ffff)
    }

    /// The IPv6 address a reservation gets when none is given: its IPv4 host offset.
    public func derived(fromHostOffset offset: UInt32) -> IPv6Address? {
        let address = subnet.host(UInt64(offset))
        return staticHosts.contains(address) ? address : nil
    }
}
