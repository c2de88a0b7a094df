/// `vmnet doctor`'s verdicts on the host's other firewalls, one per network and firewall:
/// whether something would drop the network's traffic and whether vmnet's accepts are there.
public enum CoexistenceFindings {
    public static let iptablesCheck = "host-iptables"
    public static let ip6tablesCheck = "host-ip6tables"
    public static let nftablesCheck = "host-nftables"
    public static let firewalldCheck = "host-firewalld"

    /// `backend`: "nft" or "legacy", the iptables backend the plan was made for; `program`:
    /// "iptables" or "ip6tables".
    public static func iptables(_ plan: IptablesCoexistencePlan, backend: String, program: String = "iptables", networks: [NetworkRecord]) -> [DoctorFinding] {
        let blockers = [plan.inputBlocker, plan.forwardBlocker].compactMap { $0 }
        let by = plan.owners.isEmpty ? "" : " (\(plan.owners.joined(separator: ", ")))"
        let iptablesCheck = program == "ip6tables" ? ip6tablesCheck : iptablesCheck
        return networks.sorted { $0.name < $1.name }.map { network in
            let name = network.name.value
            if blockers.isEmpty { return .ok(name, iptablesCheck, "\(program)-\(backend): nothing in the filter table drops its traffic") }
            let what = "\(program)-\(backend): \(blockers.joined(separator: ", "))\(by)"
            let place = [plan.inputBlocker == nil ? nil : IptablesCoexistence.inputChain,
                         plan.forwardBlocker == nil ? nil : plan.forwardChain].compactMap { $0 }.joined(separator: " and ")
            if plan.isInPlace { return .ok(name, iptablesCheck, "\(what); vmnet's accepts are in \(place)") }
            return DoctorFinding(network: name, check: iptablesCheck, status: .fail,
                                 detail: "\(what); vmnet's accepts are missing from \(place)", fix: "vmnet up \(name)")
        }
    }

    public static func nftables(_ drops: [NftBaseChain], networks: [NetworkRecord]) -> [DoctorFinding] {
        networks.sorted { $0.name < $1.name }.map { network in
            let name = network.name.value
            guard !drops.isEmpty else { return .ok(name, nftablesCheck, "no other nftables table drops by default") }
            let chains = drops.map { "'\($0.name)' (hook \($0.hook))" }.joined(separator: ", ")
            return DoctorFinding(network: name, check: nftablesCheck, status: .fail,
                                 detail: "nftables chain \(chains) has policy drop and accepts nothing of vmnet's",
                                 fix: drops.map { $0.fix(for: [network]) }.joined(separator: "; "))
        }
    }

    /// firewalld's table left loaded by a firewalld that no longer answers: its rejects still
    /// apply, and no zone can be changed.
    public static let firewalldSilent = "nftables table 'inet firewalld' is loaded but firewalld does not answer (firewall-cmd --state): its rules reject DHCP, DNS and forwarding"
    public static let firewalldSilentFix = "start firewalld, then 'vmnet up'; or, if firewalld is gone, 'nft delete table inet firewalld'"

    public static func firewalldNotAnswering(networks: [NetworkRecord]) -> [DoctorFinding] {
        networks.sorted { $0.name < $1.name }.map { network in
            DoctorFinding(network: network.name.value, check: firewalldCheck, status: .fail, detail: firewalldSilent, fix: firewalldSilentFix)
        }
    }

    /// `runtime`/`permanent`: the interfaces of firewalld's zone vmnet uses; nil when firewalld does not run.
    public static func firewalld(zone: String, runtime: Set<String>?, permanent: Set<String>, networks: [NetworkRecord]) -> [DoctorFinding] {
        networks.sorted { $0.name < $1.name }.map { network in
            let name = network.name.value
            guard let runtime else { return .ok(name, firewalldCheck, "firewalld does not run") }
            let missing = [runtime.contains(network.bridge) ? nil : "runtime", permanent.contains(network.bridge) ? nil : "permanent"].compactMap { $0 }
            if missing.isEmpty { return .ok(name, firewalldCheck, "\(network.bridge) is in firewalld's zone '\(zone)'") }
            return DoctorFinding(network: name, check: firewalldCheck, status: .fail,
                                 detail: "\(network.bridge) is not in firewalld's zone '\(zone)' (\(missing.joined(separator: ", ")))",
                                 fix: "vmnet up \(name)")
        }
    }
}
