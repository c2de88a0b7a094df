import Testing
@testable import VmnetShell
import VmnetCore

/// The firewall backends' choices, on a scripted runner: nftables updates its table or
/// rebuilds it; iptables puts back a jump someone removed. No root, no rules.
struct FirewallBackendTests {
    /// A record as `create` makes it (the world must outlive the create: it removes its directory).
    static let web: NetworkRecord = {
        let world = ControllerWorld()
        return withExtendedLifetime(world) { try! world.controller.create(CreateRequest(name: try! NetworkName("web")), start: false).0 }
    }()

    static let update = ["nft", "-t", "-f", "-"]
    static let load = ["nft", "-f", "-"]

    func change(previous: [NetworkRecord]?, networks: [NetworkRecord] = [web]) -> FirewallChange {
        FirewallChange(kind: .nftables, networks: networks, allBridges: networks.map(\.bridge), previous: previous,
                       previousBridges: previous?.map(\.bridge) ?? [], touched: networks)
    }

    var wholeTable: String { NftRuleset.table([Self.web], allBridges: [Self.web.bridge]) }

    @Test func anUpdateThatLeavesEveryRuleInPlaceIsKept() throws {
        let runner = ScriptedRunner()
        runner.answer(Self.update, output: wholeTable)
        try NftablesFirewall(runner: runner, host: SystemHost()).apply(change(previous: []))
        #expect(runner.arguments == [Self.update])
        // The table is listed in the update's own transaction.
        #expect(runner.input(of: Self.update)?.hasSuffix("list table \(NftRuleset.table)\n") == true)
    }

    /// An update that fails (the table is gone), or that succeeds on a flushed table (`nft
    /// flush table` keeps the chains and sets: the listing shows them empty), is followed by a
    /// rebuild of the whole table.
    @Test(arguments: [
        (status: Int32(0), listing: "table inet vmnet {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n"),
        (status: Int32(1), listing: ""),
    ])
    func anUpdateThatLeavesRulesMissingIsRebuilt(status: Int32, listing: String) throws {
        let runner = ScriptedRunner()
        runner.answer(Self.update, status: status, output: listing)
        runner.answer(Self.load)
        try NftablesFirewall(runner: runner, host: SystemHost()).apply(change(previous: [Self.web]))
        #expect(runner.arguments == [Self.update, Self.load])
        #expect(runner.input(of: Self.load) == wholeTable)
    }

    @Test func withoutPreviousRulesTheTableIsBuiltAtOnce() throws {
        let runner = ScriptedRunner()
        runner.answer(Self.load)
        try NftablesFirewall(runner: runner, host: SystemHost()).apply(change(previous: nil))
        #expect(runner.arguments == [Self.load])
    }

    /// With no network left there is nothing to compare the table with: the update alone, and
    /// the (empty) table rebuilt when it fails.
    @Test func emptyingTheTableIsAnUpdateWithoutListing() throws {
        let runner = ScriptedRunner()
        runner.answer(Self.load)
        try NftablesFirewall(runner: runner, host: SystemHost()).apply(change(previous: [], networks: []))
        #expect(runner.arguments == [Self.load])
        runner.answer(Self.load, status: 1)
        #expect(throws: VmnetError.self) { try NftablesFirewall(runner: runner, host: SystemHost()).apply(change(previous: [], networks: [])) }
        #expect(runner.arguments == [Self.load, Self.load, Self.load])
        #expect(runner.input(of: Self.load) == NftRuleset.table([], allBridges: []))
    }

    @Test func aRebuildThatFailsSaysWhatItWasDoing() {
        let runner = ScriptedRunner()
        #expect(throws: VmnetError.failed("applying nftables rules: nft: not on this fake host")) {
            try NftablesFirewall(runner: runner, host: SystemHost()).apply(change(previous: nil))
        }
    }

    /// What iptables-save prints with vmnet's `jumps` in place, but for those into `missing`.
    static func saved(_ jumps: [IptablesRuleset.Jump], missing: String? = nil) -> String {
        var text = ""
        for table in ["filter", "nat", "mangle"] {
            text += "*\(table)\n"
            for jump in jumps where jump.table == table && jump.target != missing { text += "-A \(jump.builtinChain) -j \(jump.target)\n" }
            text += "COMMIT\n"
        }
        return text
    }

    /// A runner on which both iptables and ip6tables answer, their rules saved as given.
    static func iptablesRunner(saved: String, saved6: String) -> ScriptedRunner {
        let runner = ScriptedRunner()
        let ip6tables = IptablesFirewall.ip6tables(on: SystemHost())
        runner.answer(["iptables-restore"])
        runner.answer(["iptables-save"], output: saved)
        runner.answer(["iptables", "-w"])
        runner.answer([ip6tables.restore])
        runner.answer([ip6tables.save], output: saved6)
        runner.answer([ip6tables.command, "-w"])
        return runner
    }

    /// Someone deleted the FORWARD jumps (an `iptables -F FORWARD`): the next apply puts them back.
    @Test func aMissingIptablesJumpIsPutBack() throws {
        #expect(Self.web.hasIPv6)
        let runner = Self.iptablesRunner(saved: Self.saved(IPv4Address.iptablesJumps, missing: "VMNET-FORWARD"),
                                         saved6: Self.saved(IPv6Address.iptablesJumps, missing: "VMNET-FORWARD"))
        try IptablesFirewall(runner: runner, host: SystemHost()).apply(FirewallChange(kind: .iptables, networks: [Self.web], allBridges: [Self.web.bridge]))
        let inserted = runner.arguments.filter { $0.contains("-I") }
        #expect(inserted == [["iptables", "-w", "-t", "filter", "-I", "FORWARD", "-j", "VMNET-FORWARD"],
                             [IptablesFirewall.ip6tables(on: SystemHost()).command, "-w", "-t", "filter", "-I", "FORWARD", "-j", "VMNET-FORWARD"]])
        #expect(runner.input(of: ["iptables-restore"]) == IptablesRuleset.render(IPv4Address.self, [Self.web], allBridges: [Self.web.bridge], forwards: []))
    }

    @Test func jumpsInPlaceAreNotAddedTwice() throws {
        let runner = Self.iptablesRunner(saved: Self.saved(IPv4Address.iptablesJumps), saved6: Self.saved(IPv6Address.iptablesJumps))
        try IptablesFirewall(runner: runner, host: SystemHost()).apply(FirewallChange(kind: .iptables, networks: [Self.web], allBridges: [Self.web.bridge]))
        #expect(!runner.arguments.contains { $0.contains("-I") })
    }
}
