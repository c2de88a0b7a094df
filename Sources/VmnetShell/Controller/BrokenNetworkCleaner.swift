import VmnetCore

/// Removes what can be found of networks whose records cannot be read: the bridge (the one
/// the damaged file names, else a derived name that carries vmnet's keeper port), the keeper
/// pair, its firewall rules (vmnet's tables are rebuilt from the readable records), the dnsmasq
/// its pid file names (only when /proc shows it runs that network's configuration), installed
/// runtime files, and its state and run directories. Says what it could not find.
struct BrokenNetworkCleaner {
    let paths: Paths
    let links: LinkManager
    let firewalls: [FirewallKind: FirewallBackend]
    let dnsmasq: DnsmasqSupervisor
    let runtimes: RuntimeInstaller
    let warnings: Warnings
    var host: HostReader = SystemHost()

    /// `others`: every readable record, which keeps its bridge and its rules.
    func remove(_ damaged: [BrokenNetwork], others: [NetworkRecord]) throws(VmnetError) {
        guard !damaged.isEmpty else { return }
        // A damaged runtimes.json refuses the whole destroy before anything is removed.
        for network in damaged { _ = try runtimes.installed(network.name) }
        let present = try host.interfaces().interfaces
        let taken = Set(others.map(\.bridge))
        var bridges: [BrokenNetwork: String] = [:]
        for network in damaged {
            bridges[network] = network.bridge(present: present, takenByOthers: taken)
            if bridges[network] == nil {
                let looked = network.candidateBridges(takenByOthers: taken).joined(separator: ", ")
                warnings.add("destroying broken network '\(network.name)': no bridge of it found (looked for \(looked)): delete it with 'ip link del' if one is left")
            }
        }
        for network in damaged {
            _ = try runtimes.uninstall(network.name, bridge: bridges[network])
        }
        dnsmasq.stop(damaged.map { paths.dnsmasqFiles(of: $0.name) })
        try rebuildFirewalls(others: others, removing: Set(bridges.values))
        for (network, bridge) in bridges {
            try links.apply(network.tearDown(bridge: bridge, present: present))
        }
        let store = StateStore(paths: paths)
        for network in damaged { store.delete(network.name) }
    }

    /// Rebuilds each mechanism's rules from the readable records when they still name a bridge
    /// no readable record has (the broken networks' elements).
    private func rebuildFirewalls(others: [NetworkRecord], removing: Set<String>) throws(VmnetError) {
        let enabled = others.filter(\.enabled)
        let known = Set(enabled.map(\.bridge))
        for kind in FirewallKind.allCases {
            guard let backend = firewalls[kind], backend.isAvailable else { continue }
            let installed = backend.installedBridges()
            guard !installed.isSubset(of: known) || !installed.isDisjoint(with: removing) else { continue }
            // The rebuild keeps the readable networks' port forwards.
            let forwards = try ForwardStore(paths: paths, hosts: ReservationStore(paths: paths, host: host, processes: dnsmasq.processes)).resolved(enabled)
            try backend.apply(.rebuild(kind, records: others, forwards: forwards))
        }
    }
}
