import Testing
import VmnetCore

/// Which firewall mechanisms a command touches, with what hints, and which forwards the rules
/// hold now. Pure.
@Suite struct FirewallPlannerTests {
    let web = Fixtures.web
    let lab = Fixtures.network("lab", subnet: "10.140.9.0/24", firewall: .iptables)
    let open = Fixtures.open

    func down(_ record: NetworkRecord) -> NetworkRecord {
        var record = record
        record.enabled = false
        return record
    }

    /// `ports` forwarded to `target`, an address in `record`'s subnet.
    func forwards(of record: NetworkRecord, ports: String, to target: String) throws -> [ResolvedForward] {
        let resolved = ForwardPlanner.resolve([try PortForward.parse(ports: ports, target: target)], network: record, reservations: [])
        #expect(resolved.count == 1)
        return resolved
    }

    @Test func aMechanismNoNetworkUsedOrUsesIsLeftAlone() {
        let changes = FirewallPlanner.changes(records: [web, open], previous: [down(web), open], touched: [web], keepTables: true, forwards: [], heldForwards: [])
        #expect(changes.map(\.kind) == [.nftables])
        let change = changes[0]
        #expect(change.networks == [web, open] && change.touched == [web] && change.keepTable)
        #expect(change.allBridges == ["vmn-web", "vmn-open"])
        // The rules were made for what was enabled before: the hint for a cheaper update.
        #expect(change.previous == [open] && change.previousBridges == ["vmn-open"])
    }

    @Test func bothMechanismsWhenBothAreInUseAndEachSeesEveryBridge() {
        let changes = FirewallPlanner.changes(records: [web, lab], previous: [web, lab], touched: [], keepTables: true, forwards: [], heldForwards: [])
        #expect(changes.map(\.kind) == [.nftables, .iptables])
        #expect(changes.map(\.networks) == [[web], [lab]])
        #expect(changes.allSatisfy { $0.allBridges == ["vmn-web", "vmn-lab"] })
    }

    @Test func aMechanismWithoutRecordedRulesIsBuiltAnew() {
        let changes = FirewallPlanner.changes(records: [web], previous: [], touched: [web], keepTables: true, forwards: [], heldForwards: [])
        #expect(changes.count == 1 && changes[0].previous == nil && changes[0].previousBridges.isEmpty)
    }

    @Test func theLastNetworkDownKeepsItsTableAndItsDestroyRemovesIt() {
        // Down: nothing enabled, the rules of the one enabled before go, the table stays.
        let downed = FirewallPlanner.changes(records: [down(web)], previous: [web], touched: [], keepTables: true, forwards: [], heldForwards: [])
        #expect(downed.count == 1 && downed[0].networks.isEmpty && downed[0].keepTable)
        // Down again, nothing changes: no mechanism is touched.
        #expect(FirewallPlanner.changes(records: [down(web)], previous: [down(web)], touched: [], keepTables: true, forwards: [], heldForwards: []).isEmpty)
        // Destroying the last (down) network removes the table it still has.
        let destroyed = FirewallPlanner.changes(records: [], previous: [down(web)], touched: [], keepTables: false, forwards: [], heldForwards: [])
        #expect(destroyed.count == 1 && destroyed[0].kind == .nftables && !destroyed[0].keepTable && destroyed[0].previous == [])
    }

    @Test func heldForwardsComeFromTheWantedOnesForUnchangedNetworks() throws {
        let webForwards = try forwards(of: web, ports: "8080", to: "10.140.7.10")
        let openForwards = try forwards(of: open, ports: "9090", to: "10.140.11.10")
        let records = [web, down(open)]
        let previous = [web, open]
        // `open` goes down: what the rules hold for it must be read; `web`'s come from `wanted`.
        #expect(FirewallPlanner.networksWithOtherHeldForwards(records: records, previous: previous) == [open])
        let held = FirewallPlanner.heldForwards(wanted: webForwards, records: records, previous: previous, others: openForwards)
        #expect(held == webForwards + openForwards)
        // A record that changed is read too, and its new forwards are not taken as held.
        var moved = web
        moved.bridge = "vmn-web2"
        #expect(FirewallPlanner.networksWithOtherHeldForwards(records: [moved], previous: [web]) == [web])
        #expect(FirewallPlanner.heldForwards(wanted: try forwards(of: moved, ports: "8080", to: "10.140.7.10"), records: [moved], previous: [web], others: []).isEmpty)
    }

    @Test func aRebuildKeepsTheTableWhileANetworkOfItsKindIsRecorded() throws {
        let webForwards = try forwards(of: web, ports: "8080", to: "10.140.7.10")
        let rebuild = FirewallChange.rebuild(.nftables, records: [web, down(open), lab], forwards: webForwards)
        #expect(rebuild.networks == [web] && rebuild.allBridges == ["vmn-web", "vmn-lab"] && rebuild.previous == nil && rebuild.keepTable)
        #expect(rebuild.forwards == webForwards && rebuild.heldForwards.isEmpty)
        #expect(!FirewallChange.rebuild(.iptables, records: [web], forwards: []).keepTable)
    }
}
