import VmnetCore

/// `vmnet forward`: forwards are recorded with the network and become rules whenever it is up.
extension NetworkController {
    var forwards: ForwardStore { ForwardStore(paths: paths, hosts: hosts) }

    /// Adds a forward and, when the network is up, its rules. Returns it with its target's address.
    public func addForward(_ network: NetworkName, ports: String, target: String) throws(VmnetError) -> (PortForward, IPv4Address) {
        let forward = try PortForward.parse(ports: ports, target: target)
        return try withLock { (_) throws(VmnetError) in
            let record = try store.require(network)
            let existing = try forwards.load(network)
            let reservations = try hosts.load(network)
            let containers = forwards.containerNames(of: record)
            let wanted = try ForwardPlanner.add(
                forward, network: record, existing: existing, reservations: reservations, containers: containers,
                listeners: existing.contains(forward) ? [] : ForwardStore.listeners(ports: forward.port...forward.endPort),
                elsewhere: try forwardsElsewhere(than: network))
            let ip = try ForwardPlanner.targetAddress(forward.target, network: record, reservations: reservations, containers: containers, doing: "forwarding")
            guard wanted != existing else { return (forward, ip) }
            try Revert.run { (revert) throws(VmnetError) in
                try forwards.save(wanted, for: network)
                revert.add("restoring \(network)'s forwards.json") { () throws(VmnetError) in try forwards.save(existing, for: network) }
                try applyForwards(of: record, previous: existing, reservations: reservations)
            }
            return (forward, ip)
        }
    }

    public func removeForward(_ network: NetworkName, ports: String) throws(VmnetError) -> [PortForward] {
        _ = try PortForward.parse(ports: ports)
        return try withLock { (_) throws(VmnetError) in
            let record = try store.require(network)
            let existing = try forwards.load(network)
            let kept = try ForwardPlanner.remove(ports, network: record, existing: existing)
            let reservations = try hosts.load(network)
            try Revert.run { (revert) throws(VmnetError) in
                try forwards.save(kept, for: network)
                revert.add("restoring \(network)'s forwards.json") { () throws(VmnetError) in try forwards.save(existing, for: network) }
                try applyForwards(of: record, previous: existing, reservations: reservations)
            }
            return existing.filter { !kept.contains($0) }
        }
    }

    /// The other networks' forwards; one whose file cannot be read holds none (its rules are off).
    private func forwardsElsewhere(than network: NetworkName) throws(VmnetError) -> [NetworkName: [PortForward]] {
        var found: [NetworkName: [PortForward]] = [:]
        for record in try store.loadAll() where record.name != network {
            if let forwards = try? forwards.load(record.name), !forwards.isEmpty { found[record.name] = forwards }
        }
        return found
    }

    /// The network's forwards and their targets' addresses now (nil: the target is gone).
    public func listForwards(_ network: NetworkName) throws(VmnetError) -> [(forward: PortForward, ip: IPv4Address?)] {
        let record = try store.require(network)
        let reservations = try hosts.load(network)
        return try forwards.load(network).map { forward in
            (forward, ForwardPlanner.resolve([forward], network: record, reservations: reservations, containers: forwards.containerNames(of: record)).first?.targetIP)
        }
    }

    /// After a reservation changed: moves the network's forwards to its new address.
    func repointForwards(of record: NetworkRecord, reservationsBefore: [HostReservation]) throws(VmnetError) {
        guard record.enabled, record.mode == .nat else { return }
        let current = try forwards.load(record.name)
        guard !current.isEmpty else { return }
        try applyForwards(of: record, previous: current, reservations: reservationsBefore)
    }

    /// Rewrites the rules of a running network after its forwards (or their targets) changed:
    /// `previous` forwards resolved with `reservations` are what the rules hold now.
    private func applyForwards(of record: NetworkRecord, previous: [PortForward], reservations: [HostReservation]) throws(VmnetError) {
        guard record.enabled else { return }
        let all = try store.loadAll()
        let before = try forwards.resolved(all.filter(\.enabled), reservations: (record.name, reservations), forwards: (record.name, previous))
        try applyFirewalls(all, previous: all, heldForwards: before)
        // The host's other firewalls already accept forwarded flows for every NAT network
        // that is up; this only repairs what went missing (a dockerd restart, an older vmnet).
        for warning in try foreignFirewalls.reconcile(enabled: all.filter(\.enabled), recorded: all, leaving: []) { warnings.add(warning) }
    }
}
