import VmnetCore

/// The host's other firewalls, which vmnet does not own but must get through: the iptables
/// `filter` table (Docker, ufw) of each backend in use, firewalld's zones, and other nftables
/// tables. Reads them, asks the core what to add or remove, applies that; also reports
/// them for `vmnet doctor`.
public struct ForeignFirewalls: Sendable {
    /// One iptables backend: its programs and the name doctor shows.
    struct IptablesVariant: Sendable {
        let name: String
        let save: String
        let restore: String
        /// "iptables" or "ip6tables".
        var program = "iptables"
        var ipv6: Bool { program == "ip6tables" }
    }

    public let runner: CommandRunner
    /// Where it finds the firewall programs and reads which legacy tables exist.
    public let host: HostAccess
    public let firewalld: Firewalld

    public init(runner: CommandRunner, host: HostAccess) {
        self.runner = runner
        self.host = host
        firewalld = Firewalld(runner: runner, host: host)
    }

    /// Makes the host's firewalls let the `enabled` networks through, removes vmnet's accepts for
    /// every other network, and takes the `leaving` networks' bridges out of firewalld's zone.
    /// `recorded`: every network that keeps existing (its bridge must stay isolated). Returns
    /// warning lines for what vmnet cannot fix itself.
    /// `listing`: `nft list chains` started earlier by `startListingChains`, else run now.
    public func reconcile(
        enabled: [NetworkRecord], recorded: [NetworkRecord], leaving: [NetworkRecord], listing: RunningCommands? = nil
    ) throws(VmnetError) -> [String] {
        let listed = listing.map(Self.chains(from:)) ?? nftChains()
        try applyIptables(enabled: enabled, recorded: recorded, ipv6: (enabled + leaving).contains(where: \.hasIPv6), listed: listed)
        var warnings: [String] = []
        let chains = listed ?? []
        if hasFirewalldTable(chains) {
            if firewalld.isRunning {
                let enabledBridges = Set(enabled.map(\.bridge))
                warnings += try firewalld.update(add: enabled.map(\.bridge), remove: leaving.map(\.bridge).filter { !enabledBridges.contains($0) })
            } else if !enabled.isEmpty {
                warnings.append("\(CoexistenceFindings.firewalldSilent): \(CoexistenceFindings.firewalldSilentFix)")
            }
        }
        if let warning = NftBaseChain.warning(NftBaseChain.foreignDrops(chains, ipv6: enabled.contains(where: \.hasIPv6)), networks: enabled) {
            warnings.append(warning)
        }
        return warnings
    }

    /// Doctor's verdicts for the enabled `networks` (down ones need nothing from other firewalls).
    public func findings(for networks: [NetworkRecord]) -> [DoctorFinding] {
        let enabled = networks.filter(\.enabled)
        guard !enabled.isEmpty else { return [] }
        let dual = enabled.filter(\.hasIPv6)
        var findings = iptablesFindings(enabled: enabled, recorded: networks)
        let chains = nftChains() ?? []
        findings += CoexistenceFindings.nftables(NftBaseChain.foreignDrops(chains, ipv6: !dual.isEmpty), networks: enabled)
        if hasFirewalldTable(chains) {
            if firewalld.isRunning, let zone = try? firewalld.interfaces() {
                findings += CoexistenceFindings.firewalld(zone: Firewalld.zone, runtime: zone.runtime, permanent: zone.permanent, networks: enabled)
            } else {
                findings += CoexistenceFindings.firewalldNotAnswering(networks: enabled)
            }
        }
        return findings
    }

    /// `vmnet watch`'s repair: puts back vmnet's accepts in the iptables filter tables (Docker's
    /// DOCKER-USER, ufw's chains) where any is missing, and returns the failures it found.
    /// firewalld is left out: it restores vmnet's zone itself on reload and restart (the
    /// binding is permanent too), and asking it costs a Python start (~0.3 s) per question.
    public func repairIptables(enabled: [NetworkRecord], recorded: [NetworkRecord]) throws(VmnetError) -> [DoctorFinding] {
        guard !enabled.isEmpty else { return [] }
        let failing = iptablesFindings(enabled: enabled, recorded: recorded).filter { $0.status == .fail }
        if !failing.isEmpty { try applyIptables(enabled: enabled, recorded: recorded, ipv6: enabled.contains(where: \.hasIPv6), listed: nftChains()) }
        return failing
    }

    /// Adds the accepts each filter table lacks for `enabled` and removes those of other networks.
    /// ip6tables only matters (and is read, a process each) when a network with IPv6 is
    /// involved, and the -nft flavours only when nft lists their table.
    private func applyIptables(enabled: [NetworkRecord], recorded: [NetworkRecord], ipv6: Bool, listed: [NftBaseChain]?) throws(VmnetError) {
        let allBridges = recorded.map(\.bridge)
        let elsewhere = foreignBridges(besides: allBridges)
        for variant in iptablesVariants() + (ipv6 ? iptablesVariants(program: "ip6tables") : []) where !skippable(variant, listed) {
            guard let table = try filterTable(variant) else { continue }
            let plan = IptablesCoexistence.plan(table, networks: enabled, allBridges: allBridges, ipv6: variant.ipv6, elsewhere: elsewhere)
            if let input = plan.restoreInput {
                try runner.check([variant.restore, "--noflush", "-w"], input: input, doing: "adding vmnet's accepts to the host's \(variant.program) rules")
            }
        }
    }

    /// Doctor's iptables verdicts for the enabled networks, both families.
    private func iptablesFindings(enabled: [NetworkRecord], recorded: [NetworkRecord]) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let dual = enabled.filter(\.hasIPv6)
        let elsewhere = foreignBridges(besides: recorded.map(\.bridge))
        for variant in iptablesVariants() + (dual.isEmpty ? [] : iptablesVariants(program: "ip6tables")) {
            do {
                guard let table = try filterTable(variant) else { continue }
                findings += CoexistenceFindings.iptables(
                    IptablesCoexistence.plan(table, networks: enabled, allBridges: recorded.map(\.bridge), ipv6: variant.ipv6, elsewhere: elsewhere),
                    backend: variant.name, program: variant.program, networks: variant.ipv6 ? dual : enabled)
            } catch {
                findings.append(DoctorFinding(network: nil, check: variant.ipv6 ? CoexistenceFindings.ip6tablesCheck : CoexistenceFindings.iptablesCheck,
                                              status: .warn, detail: error.message))
            }
        }
        return findings
    }

    /// The backends whose filter table may hold drops: nft whenever installed (reading it
    /// creates nothing), legacy only when its tables exist in this namespace (reading them
    /// would create them).
    /// `program`: "iptables", or "ip6tables" for the IPv6 tables (Docker's ip6tables
    /// FORWARD drop, ufw's IPv6 chains).
    func iptablesVariants(program: String = "iptables") -> [IptablesVariant] {
        var variants: [IptablesVariant] = []
        if host.executable("\(program)-nft-save") != nil, host.executable("\(program)-nft-restore") != nil {
            variants.append(IptablesVariant(name: "nft", save: "\(program)-nft-save", restore: "\(program)-nft-restore", program: program))
        }
        let legacyTables = host.readIfPresent(program == "iptables" ? "/proc/net/ip_tables_names" : "/proc/net/ip6_tables_names") ?? ""
        if host.executable("\(program)-legacy-save") != nil, legacyTables.split(separator: "\n").contains("filter") {
            variants.append(IptablesVariant(name: "legacy", save: "\(program)-legacy-save", restore: "\(program)-legacy-restore", program: program))
        }
        if variants.isEmpty, host.executable("\(program)-save") != nil, host.executable("\(program)-restore") != nil {
            variants.append(IptablesVariant(name: "save", save: "\(program)-save", restore: "\(program)-restore", program: program))
        }
        return variants
    }

    /// The backend's filter table; nil when it cannot be read (no kernel support for it: then
    /// it holds no drops either). What it prints must parse: a misread table is an error.
    private func filterTable(_ variant: IptablesVariant) throws(VmnetError) -> IptablesFilterTable? {
        guard let saved = try? runner.run([variant.save, "-t", "filter"]), saved.succeeded else { return nil }
        return try IptablesFilterTable.parse(saved.standardOutput)
    }

    /// Other tools' bridges (libvirt's virbr0, podman0, docker0) that carry no default route:
    /// vmnet's traffic enters and leaves by its own bridges and the uplinks only, so their
    /// rules (libvirt's `-o virbr0 -j REJECT`) never see it. Read from /sys and /proc, no process.
    func foreignBridges(besides vmnetBridges: [String]) -> Set<String> {
        let uplinks = ProcNetRoute.routes(host.readIfPresent("/proc/net/route") ?? "").filter { $0.destination.prefixLength == 0 }.compactMap(\.device)
            + ProcNetRoute.routes6(host.readIfPresent("/proc/net/ipv6_route") ?? "").filter { $0.destination.prefixLength == 0 }.compactMap(\.device)
        let bridges = host.list("/sys/class/net").filter { host.exists("/sys/class/net/\($0)/bridge") }
        return Set(bridges).subtracting(vmnetBridges).subtracting(uplinks)
    }

    /// firewalld keeps one table; asking firewall-cmd costs a Python start, so only then.
    private func hasFirewalldTable(_ chains: [NftBaseChain]) -> Bool {
        chains.contains { $0.family == "inet" && $0.table == "firewalld" }
    }

    /// nil when nft is missing or does not answer.
    private func nftChains() -> [NftBaseChain]? {
        guard host.executable("nft") != nil, let result = try? runner.run(["nft", "list", "chains"]) else { return nil }
        return Self.chains(from: result)
    }

    /// Starts `nft list chains` so that it runs while vmnet applies its own rules (~3 ms a
    /// process on `up`'s path); `reconcile(listing:)` collects it. Only base chains and other
    /// tables matter to it, which vmnet's own transaction does not change.
    public func startListingChains() -> RunningCommands? {
        guard host.executable("nft") != nil else { return nil }
        return try? runner.start([["nft", "list", "chains"]])
    }

    private static func chains(from listing: RunningCommands) -> [NftBaseChain]? {
        listing.results().first.flatMap(chains(from:))
    }

    private static func chains(from result: ProcessResult) -> [NftBaseChain]? {
        result.succeeded ? NftBaseChain.parse(result.standardOutput) : nil
    }

    /// iptables-nft's rules live in nft's `ip filter` table (ip6tables-nft's in `ip6 filter`):
    /// when nft lists no such table there is nothing to read or remove (~2.5 ms a process).
    private func skippable(_ variant: IptablesVariant, _ chains: [NftBaseChain]?) -> Bool {
        guard variant.name == "nft", let chains else { return false }
        let family = variant.ipv6 ? "ip6" : "ip"
        return !chains.contains { $0.family == family && $0.table == "filter" }
    }
}
