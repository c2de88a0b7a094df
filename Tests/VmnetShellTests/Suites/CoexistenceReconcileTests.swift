import Testing
@testable import VmnetShell
import VmnetCore

/// `ForeignFirewalls.reconcile` on a scripted runner: Docker's filter table gets vmnet's
/// accepts while a network is up, and loses them when it goes. Which iptables programs exist
/// is the host's (the table read is the script's).
struct CoexistenceReconcileTests {
    static let web = FirewallBackendTests.web

    static let docker = """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :DOCKER-USER - [0:0]
        -A FORWARD -j DOCKER-USER
        -A DOCKER-USER -j RETURN
        COMMIT

        """

    /// nft shows the iptables-nft filter table (so its backend is read) and no firewalld.
    static func runner(saved: String) -> ScriptedRunner {
        let runner = ScriptedRunner()
        runner.answer(["nft", "list", "chains"], output: "table ip filter {\n\tchain FORWARD {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n}\n")
        let foreign = ForeignFirewalls(runner: runner, host: SystemHost())
        for variant in foreign.iptablesVariants() + foreign.iptablesVariants(program: "ip6tables") {
            runner.answer([variant.save, "-t", "filter"], output: saved)
            runner.answer([variant.restore, "--noflush", "-w"])
        }
        return runner
    }

    static var hasIptables: Bool { !ForeignFirewalls(runner: ScriptedRunner(), host: SystemHost()).iptablesVariants().isEmpty }

    func restores(_ runner: ScriptedRunner) -> [String] {
        runner.commands.filter { $0.arguments.first?.hasSuffix("-restore") == true }.compactMap(\.input)
    }

    @Test(.enabled(if: hasIptables)) func aNetworkThatComesUpIsAcceptedAndOneThatGoesIsNot() throws {
        let web = Self.web
        let arriving = Self.runner(saved: Self.docker)
        let warnings = try ForeignFirewalls(runner: arriving, host: SystemHost()).reconcile(enabled: [web], recorded: [web], leaving: [])
        #expect(warnings.isEmpty, "\(warnings)")
        let added = restores(arriving)
        #expect(!added.isEmpty)
        #expect(added.allSatisfy { $0.contains("-I DOCKER-USER 1 -i \(web.bridge) -o \(web.bridge) -m comment --comment \"vmnet:web\" -j ACCEPT") })

        // The accepts are in place now: nothing to add while the network stays up.
        let withAccepts = try #require(IptablesCoexistence.plan(try IptablesFilterTable.parse(Self.docker), networks: [web], allBridges: [web.bridge]).restoreInput)
        let accepted = Self.docker.addingToDockerUser( withAccepts.split(separator: "\n").filter { $0.hasPrefix("-I ") }
            .map { "-A DOCKER-USER " + $0.split(separator: " ").dropFirst(3).joined(separator: " ") })
        let staying = Self.runner(saved: accepted)
        _ = try ForeignFirewalls(runner: staying, host: SystemHost()).reconcile(enabled: [web], recorded: [web], leaving: [])
        #expect(restores(staying).isEmpty, "\(restores(staying))")

        // It goes: every accept of it is deleted.
        let leaving = Self.runner(saved: accepted)
        _ = try ForeignFirewalls(runner: leaving, host: SystemHost()).reconcile(enabled: [], recorded: [], leaving: [web])
        let removed = restores(leaving)
        #expect(!removed.isEmpty)
        #expect(removed.allSatisfy { $0.contains("-D DOCKER-USER -i \(web.bridge) -o \(web.bridge)") && !$0.contains("-I ") }, "\(removed)")
    }
}

private extension String {
    /// Docker's table with `rules` in DOCKER-USER before its RETURN, as iptables-save lists them.
    func addingToDockerUser(_ rules: [String]) -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let returnLine = lines.firstIndex(of: "-A DOCKER-USER -j RETURN") else { return self }
        lines.insert(contentsOf: rules, at: returnLine)
        return lines.joined(separator: "\n")
    }
}
