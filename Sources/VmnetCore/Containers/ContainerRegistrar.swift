/// Decides what a starting container registers on one network: which of its addresses are
/// the network's, whether it may have them, and whether its name may be published.
public enum ContainerRegistrar {
    /// The new list of registrations for `network` (the container's old ones replaced), or
    /// nil when none of its interfaces has an address of the network.
    ///
    /// An address that is the gateway's, a reservation's, another running container's or held
    /// by another DHCP client's unexpired lease is refused with an error: the container would
    /// answer ARP for it and break whoever owns it. A name that a reservation, an unexpired DHCP
    /// lease or another container already holds is kept out of DNS and noted instead.
    public static func register(container: OCIState, started: Int64? = nil, name: String?, interfaces: [ContainerInterface], network: NetworkRecord,
                                reservations: [HostReservation], leases: [DHCPLease], existing: [ContainerRegistration],
                                now: Int64) throws(VmnetError) -> [ContainerRegistration]? {
        let mine = interfaces.flatMap { interface in
            interface.addresses.filter { network.subnet.contains($0) }.map { (mac: interface.mac, ip: $0, ip6: address6(of: interface, on: network)) }
        }
        guard !mine.isEmpty else { return nil }
        let others = existing.filter { $0.id != container.id }
        let active = leases.filter { $0.expires == 0 || $0.expires > now }
        let label = name.map { "'\($0)'" } ?? container.id.prefix(12).description
        var added: [ContainerRegistration] = []
        for (mac, ip, ip6) in mine {
            func refuse(_ holder: String, address: String? = nil, flag: String = "--ip") -> VmnetError {
                .conflict("registering container \(label) on network '\(network.name)': \(address ?? ip.description) is \(holder): start it with another \(flag), or without \(flag)")
            }
            func described(_ other: ContainerRegistration) -> String { "container \(other.name.map { "'\($0)'" } ?? other.id.prefix(12).description)" }
            if ip == network.gateway || ip == network.subnet.network || ip == network.subnet.last {
                throw refuse(ip == network.gateway ? "the network's gateway" : "not a host address")
            }
            if let ip6, ip6 == network.gateway6 { throw refuse("the network's IPv6 gateway", address: ip6.description, flag: "--ip6") }
            if let ip6, let other = others.first(where: { $0.ip6 == ip6 }) { throw refuse("used by \(described(other))", address: ip6.description, flag: "--ip6") }
            if let reservation = reservations.first(where: { $0.ip == ip }) { throw refuse("reserved for host '\(reservation.name)'") }
            if let other = others.first(where: { $0.ip == ip }) { throw refuse("used by \(described(other))") }
            if let lease = active.first(where: { $0.ip == ip && $0.mac != mac }) { throw refuse("leased to \(lease.mac) by DHCP") }
            added.append(ContainerRegistration(id: container.id, name: name, mac: mac, ip: ip, ip6: ip6, pid: container.pid, started: started,
                                               note: note(for: name, reservations: reservations, leases: active, others: others)))
        }
        // One name, one address: a second address of the same container on this network is
        // reserved but unnamed.
        let named = added.prefix(1) + added.dropFirst().map {
            ContainerRegistration(id: $0.id, name: nil, mac: $0.mac, ip: $0.ip, ip6: $0.ip6, pid: $0.pid, started: $0.started)
        }
        return (others + named).sorted { $0.ip < $1.ip }
    }

    /// A reservation made while containers run: refused when a container holds its address;
    /// otherwise a container publishing the reservation's name gives the name up (returned
    /// list), as it would have had the reservation come first.
    public static func admit(_ reservation: HostReservation, network: NetworkName,
                             registrations: [ContainerRegistration]) throws(VmnetError) -> [ContainerRegistration] {
        if let holder = registrations.first(where: { $0.ip == reservation.ip && $0.mac != reservation.mac }) {
            throw .conflict("reserving '\(reservation.name)' on '\(network)': \(reservation.ip) is used by container \(holder.name.map { "'\($0)'" } ?? holder.id.prefix(12).description): choose another --ip, or stop the container first")
        }
        return registrations.map { registration in
            guard registration.publishedName == reservation.name else { return registration }
            return ContainerRegistration(id: registration.id, name: registration.name, mac: registration.mac, ip: registration.ip, ip6: registration.ip6,
                                         pid: registration.pid, started: registration.started, note: LeaseEntry.takenByReservation)
        }
    }

    /// The interface's address in the network's /64 that its name stands for: one from the
    /// containers' range (podman's static IPAM) before one it formed itself from an RA.
    static func address6(of interface: ContainerInterface, on network: NetworkRecord) -> IPv6Address? {
        guard let subnet6 = network.subnet6 else { return nil }
        let inside = interface.addresses6.filter(subnet6.contains)
        return inside.first { network.plan6?.containers.contains($0) == true } ?? inside.first
    }

    static func note(for name: String?, reservations: [HostReservation], leases: [DHCPLease], others: [ContainerRegistration]) -> String? {
        guard let name else { return nil }
        if NetworkName.problem(with: name, what: "container name", maximumLength: HostReservation.maximumNameLength) != nil {
            return ContainerRegistration.notADNSName
        }
        if reservations.contains(where: { $0.name == name }) { return LeaseEntry.takenByReservation }
        if leases.contains(where: { $0.hostname == name }) { return LeaseEntry.takenByClient }
        if others.contains(where: { $0.publishedName == name }) { return ContainerRegistration.takenByContainer }
        return nil
    }
}
