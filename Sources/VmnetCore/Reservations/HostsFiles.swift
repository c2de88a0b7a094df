/// Renders the two host lists dnsmasq re-reads on SIGHUP: `dhcp-hostsfile` (MAC, address,
/// name: the reservation) and `addn-hosts` (hosts-format: the name resolves at once, before
/// the host ever asks for a lease).
public enum HostsFiles {
    public static func dhcpHosts(_ reservations: [HostReservation]) -> String {
        // dnsmasq's DHCPv6 matches the MAC too (from the client's DUID or its neighbour entry).
        reservations.sorted { $0.ip < $1.ip }.map { "\($0.mac),\($0.ip),\($0.ip6.map { "[\($0)]," } ?? "")\($0.name)\n" }.joined()
    }

    public static func addnHosts(_ reservations: [HostReservation], domain: String) -> String {
        reservations.sorted { $0.ip < $1.ip }.map { reservation in
            ([reservation.ip.description] + (reservation.ip6.map { [$0.description] } ?? []))
                .map { "\($0) \(reservation.name).\(domain) \(reservation.name)\n" }.joined()
        }.joined()
    }
}
