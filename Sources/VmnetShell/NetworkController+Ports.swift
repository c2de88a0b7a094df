import VmnetCore

/// Guests' ports: remembered whenever vmnet sees them, refused by `down` without `--force`,
/// attached again by `up`.
extension NetworkController {
    var portMemory: PortMemory { PortMemory(paths: paths) }

    /// Remembers the guests attached to the records' bridges; when `refusing` and there are
    /// any, throws before changing anything.
    func rememberGuests(_ records: [NetworkRecord], refusing: Bool) throws(VmnetError) {
        let attached = records.compactMap { record in BridgePorts.guests(of: record.bridge).map { (network: record.name, bridge: record.bridge, ports: $0) } }
        if refusing, let refusal = PortPlanner.refusal(attached) { throw refusal }
        for bridge in attached { try portMemory.save(bridge.ports, for: bridge.network) }
    }

    /// Attaches every remembered port that exists and has no master to its bridge again,
    /// then remembers what is attached.
    func reattachGuests(_ records: [NetworkRecord]) throws(VmnetError) {
        var operations: [LinkOperation] = []
        for record in records {
            let remembered = try portMemory.load(record.name)
            let seen = BridgePorts.observe(remembered)
            operations += PortPlanner.reattach(remembered: remembered, bridge: record.bridge, interfaces: seen.interfaces, masters: seen.masters)
        }
        try links.apply(operations)
        for record in records { _ = try portMemory.observe(record) }
    }

    /// The guests on the bridge now, remembered on the way when possible (a reader without
    /// root, or a full disk, only reads).
    func guestPorts(_ record: NetworkRecord) -> [String] {
        (try? portMemory.observe(record)) ?? BridgePorts.guests(of: record.bridge) ?? []
    }
}
