import VmnetCore

/// iptables: vmnet's own chains, each refilled by one `iptables-restore --noflush`, reached
/// by a single jump from each built-in chain.
public struct IptablesFirewall: FirewallBackend {
    public let runner: CommandRunner
    public let kind = FirewallKind.iptables

    public init(runner: CommandRunner) { self.runner = runner }

    public var isAvailable: Bool { ExecutableLocator.find("iptables") != nil && ExecutableLocator.find("iptables-restore") != nil }

    public func apply(
        _ networks: [NetworkRecord], allBridges: [String], previous: (networks: [NetworkRecord], bridges: [String])?,
        touched: [NetworkRecord], keepTable: Bool, forwards: [ResolvedForward], previousForwards: [ResolvedForward]
    ) throws(VmnetError) {
        if networks.isEmpty {
            removeAll()
            return
        }
        try runner.check(["iptables-restore", "--noflush", "-w"], input: IptablesRuleset.render(networks, allBridges: allBridges, forwards: forwards),
                         doing: "applying iptables rules")
        let existing = try installedJumps()
        for jump in IptablesRuleset.jumps where !existing.contains(jump) {
            try runner.check(["iptables", "-w", "-t", jump.table, "-I", jump.builtinChain, "-j", jump.target],
                             doing: "adding the iptables jump to \(jump.target)")
        }
    }

    /// The jumps present now, from one `iptables-save` rather than a check per jump.
    private func installedJumps() throws(VmnetError) -> Set<IptablesRuleset.Jump> {
        let saved = try runner.check(["iptables-save"], doing: "reading iptables rules").standardOutput
        var table = ""
        var found: Set<IptablesRuleset.Jump> = []
        for line in saved.split(separator: "\n") {
            if line.hasPrefix("*") { table = String(line.dropFirst()) }
            for jump in IptablesRuleset.jumps where jump.table == table && line == "-A \(jump.builtinChain) -j \(jump.target)" {
                found.insert(jump)
            }
        }
        return found
    }

    private func removeAll() {
        for jump in IptablesRuleset.jumps {
            while (try? runner.run(["iptables", "-w", "-t", jump.table, "-D", jump.builtinChain, "-j", jump.target]))?.succeeded == true {}
            _ = try? runner.run(["iptables", "-w", "-t", jump.table, "-F", jump.target])
            _ = try? runner.run(["iptables", "-w", "-t", jump.table, "-X", jump.target])
        }
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
