import Testing
@testable import VmnetShell
import VmnetCore

/// `set`'s effects on recording fakes: only what the changed settings need, and all of it
/// undone when a later step fails.
struct SetControllerTests {
    static let name = try! NetworkName("lab")

    private func settings(_ arguments: String...) throws -> [NetworkSetting] {
        try arguments.map { (argument) throws(VmnetError) in try NetworkSetting(argument) }
    }

    @Test func equalValuesTouchNothing() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: true)
        let before = world.log.effects
        let outcome = try world.controller.set(Self.name, settings: try settings("mtu=1500", "isolation=true"), replace: false)
        #expect(outcome.change.isEmpty && world.log.effects == before)
    }

    @Test func isolationRewritesOnlyTheRules() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: true)
        let before = world.log.effects.count
        let outcome = try world.controller.set(Self.name, settings: try settings("isolation=false"), replace: false)
        #expect(outcome.applied && outcome.change.applications == [.firewallRules])
        let effects = Array(world.log.effects[before...])
        #expect(!effects.isEmpty && effects.allSatisfy { $0.hasPrefix("firewall") }, "\(effects)")
        #expect(try !world.controller.record(Self.name).isolation)
    }

    @Test func aFailingFirewallUndoesTheMTUAndTheRecord() throws {
        let world = ControllerWorld()
        let (record, _) = try world.controller.create(CreateRequest(name: Self.name), start: true)
        let wanted = try settings("mtu=9000", "isolation=false")
        world.log.alwaysFailing = ["firewall"]
        do {
            _ = try world.controller.set(Self.name, settings: wanted, replace: false)
            Issue.record("set succeeded with a failing firewall")
        } catch {
            #expect(error.message.hasPrefix("firewall nftables: [lab]: injected failure"), "\(error.message)")
        }
        #expect(try world.controller.record(Self.name) == record)
        #expect(world.log.effects.last == "link: ip link set dev \(record.bridge) mtu 1500", "\(world.log.effects)")
        #expect(world.log.processes.count == 1)
    }

    @Test func aNetworkThatIsDownOnlyHasItsRecordChanged() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: false)
        let outcome = try world.controller.set(Self.name, settings: try settings("mtu=9000", "lease_time=2h"), replace: false)
        #expect(!outcome.applied && world.log.effects.isEmpty)
        #expect(try world.controller.record(Self.name).mtu == 9000)
    }
}
