import VmnetCore

/// Reservations, host lists and the merged view of leases.
extension NetworkController {
    /// Reserves a host and tells a running dnsmasq by SIGHUP: its pid and leases stay.
    public func addHost(_ network: NetworkName, host: String, mac: String?, ip: String?, ip6: String? = nil) throws(VmnetError) -> HostReservation {
        try withLock { (lock) throws(VmnetError) in
            let record = try store.require(network)
            var reservations = try hosts.load(network)
            let reservationsBefore = reservations
            let reservation = try ReservationPlanner.reserve(host: host, mac: mac, ip: ip, ip6: ip6, network: record, existing: reservations)
            if reservations.contains(reservation) { return reservation }
            try ContainerHook(paths: paths, collaborators: collaborators).admit(reservation, on: record)
            reservations.removeAll { $0.name == host }
            reservations.append(reservation)
            try commitReservations(reservations, before: reservationsBefore, of: record, command: .hostAdd, saved: .hostSaved, lock: lock)
            try ReservationCheck.confirm(record, host: host, ip: reservation.ip, ip6: reservation.ip6, files: paths.dnsmasqFiles(of: network), dnsmasq: dnsmasq)
            return reservation
        }
    }

    public func removeHost(_ network: NetworkName, host: String) throws(VmnetError) {
        try withLock { (lock) throws(VmnetError) in
            let record = try store.require(network)
            try HostReservation.validateName(host)
            var reservations = try hosts.load(network)
            guard reservations.contains(where: { $0.name == host }) else {
                throw .notFound("host '\(host)' is not reserved on '\(network)': 'vmnet host list \(network)' shows the reservations")
            }
            let reservationsBefore = reservations
            reservations.removeAll { $0.name == host }
            try commitReservations(reservations, before: reservationsBefore, of: record, command: .hostRemove, saved: .hostRemoved, lock: lock)
            try ReservationCheck.confirm(record, host: host, ip: nil, files: paths.dnsmasqFiles(of: network), dnsmasq: dnsmasq)
        }
    }

    /// Re-renders the host lists of the networks and has their dnsmasq re-read them.
    public func reload(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkRecord] {
        try withLock { (_) throws(VmnetError) in
            let records = try select(names)
            for record in records { try publish(record, try hosts.load(record.name), force: true) }
            return records
        }
    }

    /// `host add`/`rm`'s common tail: journals the change, saves the reservations, rewrites
    /// the host lists (dnsmasq re-reads them) and moves forwards whose target moved.
    private func commitReservations(
        _ reservations: [HostReservation], before: [HostReservation], of record: NetworkRecord, command: Intent.Command, saved: FaultPoint,
        lock: StateLock
    ) throws(VmnetError) {
        let network = record.name
        try lock.record(Intent(command, networks: [network], effects: ["write hosts.json of \(network)", "rewrite its host lists", "SIGHUP its dnsmasq"]))
        try hosts.save(reservations, for: network)
        FaultInjection.reach(saved)
        try publish(record, reservations)
        try repointForwards(of: record, reservationsBefore: before)
    }

    func publish(_ record: NetworkRecord, _ reservations: [HostReservation], force: Bool = false) throws(VmnetError) {
        let changed = try hosts.writeHostLists(for: record, reservations: reservations)
        if changed || force { _ = dnsmasq.reload(paths.dnsmasqFiles(of: record.name)) }
    }

    /// Leases, reservations and container addresses of the networks, merged.
    public func leases(_ names: [NetworkName]?) throws(VmnetError) -> [LeaseEntry] {
        var entries: [LeaseEntry] = []
        for record in try select(names).sorted(by: { $0.name < $1.name }) {
            let leaseText = try FileSystem.readUnlessMissing(paths.dnsmasqFiles(of: record.name).leaseFile) ?? ""
            entries += LeaseEntry.merge(network: record.name.value, leases: DHCPLease.parse(leaseText),
                                        reservations: try hosts.load(record.name), containers: containers.addresses(of: record),
                                        registered: try containers.registrations(in: paths.dnsmasqFiles(of: record.name)),
                                        leases6: DHCPv6Lease.parse(leaseText))
        }
        return entries
    }

    /// The reservations of a network.
    public func reservations(_ network: NetworkName) throws(VmnetError) -> [HostReservation] { try hosts.load(network) }
}
