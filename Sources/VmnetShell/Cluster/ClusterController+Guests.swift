import Glibc
import VmnetCore

/// Guests of cluster networks (`vmnet host add|remove|list`, the libvirt interface) and this
/// host's own attachment to them (`attach` at create and `up`, `detach` at `down`/destroy).
extension ClusterController {
    /// A VM's port on the network: address and MAC chosen (or checked) against every port NB
    /// holds for it, the names in its DNS row. Adding the same VM again changes nothing.
    public func addGuest(_ name: NetworkName, host: String, mac: String?, ip: String?) throws(VmnetError) -> ClusterGuest {
        let doing = "adding '\(host)' to cluster network '\(name)'"
        let northbound = try northbound(doing: doing)
        let network = try requireClusterNetwork(name, doing: doing)
        return try addPort(.guest, name: host, mac: mac, ip: ip, on: network, northbound: northbound, doing: doing).guest
    }

    public func removeGuest(_ name: NetworkName, host: String) throws(VmnetError) {
        let doing = "removing '\(host)' from cluster network '\(name)'"
        try HostReservation.validateName(host)
        let northbound = try northbound(doing: doing)
        _ = try requireClusterNetwork(name, doing: doing)
        guard try removePort(OVNNames.guestPort(name, host: host), on: name, northbound: northbound, doing: doing) else {
            throw .notFound("\(doing): it is not on the network: 'vmnet host list \(name)' shows its VMs")
        }
    }

    /// The VMs on the network, by name.
    public func guests(of name: NetworkName) throws(VmnetError) -> [ClusterGuest] {
        let doing = "listing the VMs of cluster network '\(name)'"
        let northbound = try northbound(doing: doing)
        _ = try requireClusterNetwork(name, doing: doing)
        let ports = try northbound.select([ClusterGuestPlanner.readPorts(name)], database: OVSDBTransaction.northbound, doing: doing)[0]
        return ClusterGuestPlanner.guests(ports).filter { $0.kind == .guest }
    }

    /// `export NAME --format libvirt-interface --host VM` on a cluster network.
    public func guestInterface(_ name: NetworkName, host: String) throws(VmnetError) -> String {
        let doing = "exporting the libvirt interface of '\(host)' on cluster network '\(name)'"
        let network = try requireClusterNetwork(name, doing: doing)
        guard let guest = try guests(of: name).first(where: { $0.name == host }) else {
            throw .notFound("\(doing): it is not on the network: 'vmnet host add \(name) \(host)' adds it")
        }
        return LibvirtXML.clusterInterface(guest, mtu: network.mtu)
    }

    /// This member's own port on the network (create on this host, `up NAME` on any member):
    /// its logical port, the internal port on br-int bound to it, the kernel side, the
    /// resolver and the forward chain. A second call finds everything in place and changes nothing.
    func attach(_ network: ClusterNetwork) throws(VmnetError) {
        let doing = "attaching this host to cluster network '\(network.name)'"
        let chassis = try chassis(doing: doing)
        let northbound = try northbound(doing: doing)
        let interface = OVNNames.memberInterface(network.name)
        if collaborators.host.executable("nft") == nil { throw ExecutableLocator.missing("nft") }
        try Revert.run { (revert) throws(VmnetError) in
            let (member, isNew) = try addPort(.member, name: chassis, mac: nil, ip: nil, on: network, northbound: northbound, doing: doing)
            if isNew {
                revert.add("removing the member port \(member.port)") { () throws(VmnetError) in
                    _ = try removePort(member.port, on: network.name, northbound: northbound, doing: doing)
                }
            }
            try plug(member, on: network, doing: doing, revert: revert)
            try waitForDevice(interface, doing: doing)
            try collaborators.links.apply(MemberAttachmentPlanner.linkOperations(member, on: network))
            try runner.check(["nft", "-f", "-"], input: MemberForwardRuleset.install, doing: "\(doing): dropping forwarding from and to \(OVNNames.memberInterfacePrefix)*")
            registerResolver(network)
        }
    }

    /// Removes this member's port: the reverse of `attach`; what is already gone is skipped.
    func detach(_ network: ClusterNetwork) throws(VmnetError) {
        let doing = "detaching this host from cluster network '\(network.name)'"
        let chassis = try chassis(doing: doing)
        let northbound = try northbound(doing: doing)
        if resolved.isRunning { for command in MemberAttachmentPlanner.unregisterResolver(network.name) { _ = try? runner.run(command) } }
        let local = try localSwitch.select(MemberAttachmentPlanner.readLocal(network.name), database: OVSDBTransaction.openVSwitch, doing: doing)
        if let port = local[1].first?.uuid {
            _ = try localSwitch.transact(MemberAttachmentPlanner.unplugTransaction(portUUID: port, on: network.name), doing: doing)
        }
        try dropForwardChainIfUnused(except: [OVNNames.memberInterface(network.name)], doing: doing)
        _ = try removePort(OVNNames.memberPort(network.name, chassis: chassis), on: network.name, northbound: northbound, doing: doing)
    }

    // MARK: - Steps

    private func readPorts(_ name: NetworkName, northbound: OVSDBClient, doing: String) throws(VmnetError) -> [OVSDBRow] {
        try northbound.select([ClusterGuestPlanner.readPorts(name)], database: OVSDBTransaction.northbound, doing: doing)[0]
    }

    /// Reads the ports, plans, and adds the port unless it is there; a port another host
    /// added in between fails the `wait`, and the whole read-plan-add runs again.
    private func addPort(
        _ kind: ClusterGuest.Kind, name: String, mac: String?, ip: String?, on network: ClusterNetwork, northbound: OVSDBClient, doing: String
    ) throws(VmnetError) -> (guest: ClusterGuest, isNew: Bool) {
        var planned: (guest: ClusterGuest, isNew: Bool)?
        _ = try northbound.transactRetrying(doing: doing) { () throws(VmnetError) -> OVSDBTransaction in
            let read = try northbound.select([ClusterGuestPlanner.readPorts(network.name), ClusterGuestPlanner.readOptions(network.name)],
                                             database: OVSDBTransaction.northbound, doing: doing)
            let (guest, isNew) = try ClusterGuestPlanner.guest(kind, name: name, on: network, mac: mac, ip: ip, ports: read[0])
            planned = (guest, isNew)
            guard isNew else { return OVSDBTransaction(OVSDBTransaction.northbound, [.comment("\(guest.port) is already there")]) }
            return ClusterGuestPlanner.addTransaction(guest, on: network.name, ports: read[0], dhcpOptions: read[1])
        }
        guard let planned else { throw .failed("\(doing): no port was planned") }
        return planned
    }

    /// Removes the port `port` and its names; false when NB has no such port.
    private func removePort(_ port: String, on name: NetworkName, northbound: OVSDBClient, doing: String) throws(VmnetError) -> Bool {
        let rows = try readPorts(name, northbound: northbound, doing: doing)
        guard let row = rows.first(where: { $0.string("name") == port }), let uuid = row.uuid, let guest = ClusterGuest(portRow: row) else { return false }
        _ = try northbound.transact(ClusterGuestPlanner.removeTransaction(guest, portUUID: uuid, on: name), doing: doing)
        return true
    }

    /// The internal port on br-int, unless it is there with this port, MAC and MTU (a stale
    /// one is replaced).
    private func plug(_ member: ClusterGuest, on network: ClusterNetwork, doing: String, revert: Revert) throws(VmnetError) {
        let local = try localSwitch.select(MemberAttachmentPlanner.readLocal(network.name), database: OVSDBTransaction.openVSwitch, doing: doing)
        guard !local[2].isEmpty else {
            throw .failed("\(doing): the local Open vSwitch has no \(OVNNames.integrationBridge): is ovn-controller running on this host? (it creates \(OVNNames.integrationBridge))")
        }
        if MemberAttachmentPlanner.isPlugged(local[0].first, member: member, mtu: network.mtu) { return }
        if let stale = local[1].first?.uuid {
            _ = try localSwitch.transact(MemberAttachmentPlanner.unplugTransaction(portUUID: stale, on: network.name), doing: doing)
        }
        let reply = try localSwitch.transact(MemberAttachmentPlanner.plugTransaction(member, on: network.name, mtu: network.mtu), doing: doing)
        if reply.lostRace {
            throw .failed("\(doing): the local Open vSwitch has no \(OVNNames.integrationBridge): is ovn-controller running on this host?")
        }
        guard let port = reply.insertedUUID(3) else { return }
        revert.add("removing \(OVNNames.memberInterface(network.name)) from \(OVNNames.integrationBridge)") { () throws(VmnetError) in
            _ = try localSwitch.transact(MemberAttachmentPlanner.unplugTransaction(portUUID: port, on: network.name), doing: doing)
        }
    }

    /// ovs-vswitchd makes the kernel device after the transaction commits, on its own time.
    private func waitForDevice(_ interface: String, doing: String) throws(VmnetError) {
        for _ in 0..<250 {
            if try collaborators.host.interfaces().interfaces.contains(interface) { return }
            usleep(20_000)
        }
        throw .failed("\(doing): Open vSwitch did not create \(interface) within 5 s: see ovs-vswitchd's log ('ovs-vsctl show' lists its errors)")
    }

    /// The forward chain goes with the last `vmh-*` port on this host.
    func dropForwardChainIfUnused(except leaving: Set<String>, doing: String) throws(VmnetError) {
        // The leaving ones may still exist: OVS deletes their devices after the transaction.
        let others = try collaborators.host.interfaces().interfaces.filter { $0.hasPrefix(OVNNames.memberInterfacePrefix) && !leaving.contains($0) }
        guard others.isEmpty, collaborators.host.executable("nft") != nil else { return }
        try runner.check(["nft", "-f", "-"], input: MemberForwardRuleset.remove, doing: "\(doing): removing the member forward chain")
        let listing = try runner.run(["nft", "list", "table", "inet", MemberForwardRuleset.table])
        if listing.succeeded, MemberForwardRuleset.isEmpty(listing: listing.standardOutput) {
            _ = try runner.run(["nft", "delete", "table", "inet", MemberForwardRuleset.table])
        }
    }

    /// Like local networks' registration: a failure is a warning, the attachment works without it.
    private func registerResolver(_ network: ClusterNetwork) {
        guard resolved.isRunning else { return }
        do throws(VmnetError) {
            for result in try runner.start(MemberAttachmentPlanner.registerResolver(network)).results() where !result.succeeded {
                throw .failed("\(result.arguments.joined(separator: " ")): \(result.failureSummary)")
            }
        } catch {
            warnings.add("registering \(network.domain) with systemd-resolved: \(error.message): the attachment works without it; 'vmnet up \(network.name)' tries again")
        }
    }
}
