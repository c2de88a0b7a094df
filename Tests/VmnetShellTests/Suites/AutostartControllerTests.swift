import Testing
@testable import VmnetShell
import VmnetCore

/// `up --all` raises only the networks whose autostart is on; `setAutostart` changes the record only.
struct AutostartControllerTests {
    static let kept = try! NetworkName("kept")
    static let manual = try! NetworkName("manual")

    @Test func upAllRaisesOnlyAutostartNetworksAndUpByNameAnyOther() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.kept), start: true)
        var request = CreateRequest(name: Self.manual)
        request.autostart = false
        _ = try world.controller.create(request, start: true)
        #expect(try world.controller.record(Self.manual).autostart == false)
        #expect(try world.controller.down(nil).map(\.name) == [Self.kept, Self.manual])
        // Taken down by the user, `kept` keeps its autostart: `up --all` raises it.
        #expect(try world.controller.up(nil).map(\.name) == [Self.kept])
        #expect(try world.controller.record(Self.kept).enabled)
        #expect(try world.controller.record(Self.manual).enabled == false)
        #expect(try world.controller.up([Self.manual]).map(\.name) == [Self.manual])
        #expect(try world.controller.record(Self.manual).enabled)
    }

    @Test func settingItTouchesNothingButTheRecord() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.kept), start: true)
        let before = try world.controller.record(Self.kept)
        let effects = world.log.effects.count
        #expect(try world.controller.setAutostart(Self.kept, on: true) == .unchanged)
        #expect(try world.controller.setAutostart(Self.kept, on: false) == .changed)
        #expect(try world.controller.setAutostart(Self.kept, on: false) == .unchanged)
        var expected = before
        expected.autostart = false
        #expect(try world.controller.record(Self.kept) == expected)
        #expect(world.log.effects.count == effects, "\(world.log.effects.dropFirst(effects))")
        #expect(throws: VmnetError.self) { try world.controller.setAutostart(Self.manual, on: true) }
        do { _ = try world.controller.setAutostart(Self.manual, on: true) } catch { #expect(error.code == .notFound) }
    }
}
