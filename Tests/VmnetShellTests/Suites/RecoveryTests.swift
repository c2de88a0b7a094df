import Testing
@testable import VmnetShell
import VmnetCore

/// A command killed halfway leaves its journal; the next command that takes the lock finishes
/// it first. On the recording fakes: no root.
struct RecoveryTests {
    static let name = try! NetworkName("lab")

    /// A world where `up lab` was killed right after saving its record as enabled: no link,
    /// no dnsmasq, no rules yet, and the journal says what it was doing.
    func killedUp() throws -> (ControllerWorld, IntentJournal) {
        let world = ControllerWorld()
        var (record, _) = try world.controller.create(CreateRequest(name: Self.name), start: false)
        record.enabled = true
        try world.controller.store.save(record)
        let journal = IntentJournal(paths: world.controller.paths)
        try journal.write(.bringingUp(.up, networks: [Self.name], records: [record]))
        #expect(world.log.effects.isEmpty)
        return (world, journal)
    }

    @Test func aKilledUpIsFinishedByTheNextCommand() throws {
        let (world, journal) = try killedUp()
        let record = try world.controller.record(Self.name)
        _ = try world.controller.reload([Self.name])
        #expect(journal.read() == nil)
        #expect(world.log.interfaces.contains(record.bridge) && world.log.processes.count == 1, "\(world.log.effects)")
        #expect(world.log.index(of: "firewall nftables: [lab]") != nil, "\(world.log.effects)")
        #expect(world.controller.warnings.lines.isEmpty, "\(world.controller.warnings.lines)")
    }

    /// A step that fails is a warning: the command goes on, the journal stays, and the next
    /// command tries again.
    @Test func aRecoveryThatFailsIsTriedAgainByTheNextCommand() throws {
        let (world, journal) = try killedUp()
        world.log.alwaysFailing = ["firewall"]
        _ = try world.controller.reload([Self.name])
        #expect(journal.read() != nil)
        let warning = try #require(world.controller.warnings.lines.first)
        #expect(warning.hasPrefix("finishing a killed 'up': up lab: firewall nftables: [lab]: injected failure"), "\(warning)")
        #expect(warning.hasSuffix("the next command tries again"), "\(warning)")
        // The failed bring-up was undone, as any failed `up` is.
        #expect(world.log.interfaces == ["lo"] && world.log.processes.isEmpty, "\(world.log.effects)")

        world.log.alwaysFailing = []
        _ = try world.controller.reload([Self.name])
        #expect(journal.read() == nil)
        #expect(world.log.processes.count == 1)
    }
}
