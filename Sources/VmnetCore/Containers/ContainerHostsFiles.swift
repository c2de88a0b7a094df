/// Renders the two container lists dnsmasq re-reads on SIGHUP, beside the reservations':
/// a `dhcp-hostsfile` reserving each container's address for its MAC (so DHCP never hands it
/// to a guest while the container runs) and an `addn-hosts` publishing the allowed names (A and,
/// for a container with an address in the /64, AAAA).
public enum ContainerHostsFiles {
    public static func dhcpHosts(_ registrations: [ContainerRegistration]) -> String {
        registrations.sorted { $0.ip < $1.ip }.map { "\($0.mac),\($0.ip)\n" }.joined()
    }

    public static func addnHosts(_ registrations: [ContainerRegistration], domain: String) -> String {
        registrations.sorted { $0.ip < $1.ip }.compactMap { registration in
            registration.publishedName.map { name in
                ([registration.ip.description] + (registration.ip6.map { [$0.description] } ?? []))
                    .map { "\($0) \(name).\(domain) \(name)\n" }.joined()
            }
        }.joined()
    }
}
