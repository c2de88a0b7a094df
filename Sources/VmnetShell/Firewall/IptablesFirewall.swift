import VmnetCore

/// iptables: vmnet's own chains, each refilled by one `iptables-restore --noflush`, reached
/// by a single jump from each built-in chain.
public struct IptablesFirewall: FirewallBackend {
    public let runner: CommandRunner
    /// Where it finds `iptables` and the ip6tables of the same kind.
    public let host: HostAccess
    public let kind = FirewallKind.iptables

    public init(runner: CommandRunner, host: HostAccess) {
        self.runner = runner
        self.host = host
    }

    public var isAvailable: Bool { host.executable("iptables") != nil && host.executable("iptables-restore") != nil }

    /// Always in full, and with no networks removes every trace: the change's hints and
    /// `keepTable` only save nftables time.
    public func apply(_ change: FirewallChange) throws(VmnetError) {
        let (networks, allBridges, forwards) = (change.networks, change.allBridges, change.forwards)
        // Every network has IPv4: no IPv4 rules means no network.
        guard let input = IptablesRuleset.render(IPv4Address.self, networks, allBridges: allBridges, forwards: forwards) else {
            removeAll()
            return
        }
        try refill(IPv4Address.self, input: input, programs: (command: "iptables", restore: "iptables-restore", save: "iptables-save"))
        // ip6tables, for the networks with IPv6; with none, removes whatever vmnet left there.
        let programs = Self.ip6tables(on: host)
        guard let input6 = IptablesRuleset.render(IPv6Address.self, networks, allBridges: allBridges) else { return remove6(programs) }
        try refill(IPv6Address.self, input: input6, programs: programs)
    }

    /// Refills vmnet's chains of one family and adds the jumps to them that are missing.
    private func refill<Address: IptablesFamily>(
        _ family: Address.Type, input: String, programs: (command: String, restore: String, save: String)
    ) throws(VmnetError) {
        let name = programs.save.hasPrefix("ip6") ? "ip6tables" : "iptables"
        try runner.check([programs.restore, "--noflush", "-w"], input: input, doing: "applying \(name) rules")
        let existing = try installedJumps(Address.iptablesJumps, save: programs.save)
        for jump in Address.iptablesJumps where !existing.contains(jump) {
            try runner.check([programs.command, "-w", "-t", jump.table, "-I", jump.builtinChain, "-j", jump.target],
                             doing: "adding the \(name) jump to \(jump.target)")
        }
    }

    /// ip6tables of the kind (nft or legacy) `iptables` is here: IPv4 and IPv6 rules then
    /// live side by side in one mechanism.
    static func ip6tables(on host: HostAccess) -> (command: String, restore: String, save: String) {
        let target = host.executable("iptables").flatMap(host.realPath) ?? ""
        for kind in ["legacy", "nft"] where target.contains("xtables-\(kind)-") && host.executable("ip6tables-\(kind)-restore") != nil {
            return ("ip6tables-\(kind)", "ip6tables-\(kind)-restore", "ip6tables-\(kind)-save")
        }
        return ("ip6tables", "ip6tables-restore", "ip6tables-save")
    }

    /// The jumps present now, from one `iptables-save` rather than a check per jump.
    private func installedJumps(_ jumps: [IptablesRuleset.Jump], save: String) throws(VmnetError) -> Set<IptablesRuleset.Jump> {
        let saved = try runner.check([save], doing: "reading \(save.hasPrefix("ip6") ? "ip6tables" : "iptables") rules").standardOutput
        var table = ""
        var found: Set<IptablesRuleset.Jump> = []
        for line in saved.split(separator: "\n") {
            if line.hasPrefix("*") { table = String(line.dropFirst()) }
            for jump in jumps where jump.table == table && line == "-A \(jump.builtinChain) -j \(jump.target)" {
                found.insert(jump)
            }
        }
        return found
    }

    private func removeAll() {
        for jump in IPv4Address.iptablesJumps {
            while (try? runner.run(["iptables", "-w", "-t", jump.table, "-D", jump.builtinChain, "-j", jump.target]))?.succeeded == true {}
            _ = try? runner.run(["iptables", "-w", "-t", jump.table, "-F", jump.target])
            _ = try? runner.run(["iptables", "-w", "-t", jump.table, "-X", jump.target])
        }
        remove6(Self.ip6tables(on: host))
    }

    /// Removes vmnet's ip6tables jumps and chains, from one save and one restore; reading the
    /// legacy tables when none exist would create them.
    private func remove6(_ programs: (command: String, restore: String, save: String)) {
        if programs.command.hasSuffix("-legacy"), (host.readIfPresent("/proc/net/ip6_tables_names") ?? "").isEmpty { return }
        guard let saved = try? runner.run([programs.save]), saved.succeeded,
              let input = IptablesRuleset.removal(saved: saved.standardOutput, jumps: IPv6Address.iptablesJumps) else { return }
        _ = try? runner.run([programs.restore, "--noflush", "-w"], input: input)
    }

    public func installedBridges() -> Set<String> {
        guard isAvailable, let result = try? runner.run(["iptables", "-w", "-S", "VMNET-FORWARD"]), result.succeeded else { return [] }
        var bridges: Set<String> = []
        for line in result.standardOutput.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count == 8, words[2] == "-i", words[4] == "-o", words[3] == words[5], words[7] == "ACCEPT" {
                bridges.insert(String(words[3]))
            }
        }
        return bridges
    }
}
