import VmnetCore

/// Guests' ports: remembered whenever vmnet sees them, refused by `down` without `--force`,
/// attached again by `up`.
extension NetworkController {
    var portMemory: PortMemory { PortMemory(paths: paths) }

    /// Remembers the guests attached to the records' bridges; when `refusing` and there are
    /// any, throws before changing anything. Otherwise (`--force`) a memory that cannot be
    /// written (a full disk) is a warning: the guests are going away from the bridge anyway.
    func rememberGuests(_ records: [NetworkRecord], refusing: Bool) throws(VmnetError) {
        let attached = records.compactMap { record in BridgePorts.guests(of: record.bridge).map { (network: record.name, bridge: record.bridge, ports: $0) } }
        if refusing, let refusal = PortPlanner.refusal(attached) { throw refusal }
        for bridge in attached {
            do { try portMemory.save(bridge.ports, for: bridge.network) } catch {
                warnings.add("remembering the ports of \(bridge.network) (\(bridge.ports.joined(separator: ", "))): \(error.message): 'vmnet up' will not attach them again")
            }
        }
    }

    /// Attaches every remembered port that exists and has no master to its bridge again,
    /// then remembers what is attached. A guest's port is not something the network needs:
    /// what fails here is a warning.
    func reattachGuests(_ records: [NetworkRecord]) {
        for record in records {
            do {
                let remembered = try portMemory.load(record.name)
                let seen = BridgePorts.observe(remembered)
                for operation in PortPlanner.reattach(remembered: remembered, bridge: record.bridge, interfaces: seen.interfaces, masters: seen.masters) {
                    do { try links.apply([operation]) } catch { warnings.add("attaching a guest again: \(error.message)") }
                }
                _ = try portMemory.observe(record)
            } catch {
                warnings.add("attaching the guests of \(record.name) again: \(error.message)")
            }
        }
    }

    /// The guests on each record's bridge now. `show` and `list` hold no lock: they remember
    /// them only when the state lock is free at once (never while another command, such as a
    /// `destroy` removing the directory, runs), and only as root with room on the disk. The
    /// lock is tried once for all networks (it was once per network: 250 opens for `list`).
    func guestPorts(_ records: [NetworkRecord]) -> [NetworkName: [String]] {
        var attached: [NetworkName: [String]] = [:]
        for record in records { attached[record.name] = BridgePorts.guests(of: record.bridge) }
        guard !attached.isEmpty else { return attached }
        _ = FileLock.attempt(paths.lockFile, exclusive: true) {
            for (name, ports) in attached where FileSystem.exists(paths.recordFile(of: name)) {
                try? portMemory.save(ports, for: name)
            }
        }
        return attached
    }
}
