import VmnetCore

/// `vmnet doctor`.
extension NetworkController {
    /// Every check of `vmnet doctor` on the networks (all when nil), network by network.
    public func doctor(_ names: [NetworkName]?) throws(VmnetError) -> [DoctorFinding] {
        try requireRoot()
        // One read of the records serves the checks and the broken networks' findings.
        let scanned = store.scan()
        let all = scanned.records
        let selected = (names == nil ? all : try select(names)).sorted { $0.name < $1.name }
        // The host's other firewalls and the resolver are doctor's alone (`list` stays free of
        // their processes). Coexistence is planned for every network at once (a plan for a few
        // would call the others' accepts surplus); only the selected networks' verdicts are kept.
        let chosen = Set(selected.map(\.name.value))
        let coexistence = foreignFirewalls.findings(for: all).filter { $0.network.map(chosen.contains) ?? true }
        let acceptRA = AcceptRADiagnosis.finding(ipv6Forwarding.state(), relevant: !AcceptRAGuard.needing(selected.filter(\.enabled)).isEmpty)
        let outside = coexistence + resolved.findings(for: selected) + networkManager.findings(for: selected) + [acceptRA].compactMap { $0 } + [watchFinding()]
        var findings = try doctorProbe.findings(selected, all: all)
        for finding in outside {
            let last = findings.lastIndex { $0.network == finding.network }
            findings.insert(finding, at: last.map { $0 + 1 } ?? findings.endIndex)
        }
        guard names == nil else { return findings }
        // A record that cannot be read is a failure of its own network, named like the others.
        let broken = scanned.broken.map { damaged in
            DoctorFinding(network: damaged.name.value, check: "record", status: .fail, detail: StateStore.error(damaged).message,
                          fix: "repair the file, or 'vmnet destroy \(damaged.name)' to remove what is left of the network")
        }
        return broken + findings
    }

    var doctorProbe: DoctorProbe {
        DoctorProbe(paths: paths, runner: runner, host: host, probe: probe, dnsmasq: dnsmasq, runtimes: runtimes, forwarding: forwarding, ipv6Forwarding: ipv6Forwarding)
    }
}
