import Testing
@testable import VmnetShell
import VmnetCore

/// The order of `create`/`up`'s effects and the undo at every failure point, on recording
/// fakes: runs as any user, in a temporary state directory.
struct ControllerEffectTests {
    static let name = try! NetworkName("lab")

    @Test func createBringsTheNetworkUpInOrder() throws {
        let world = ControllerWorld()
        let (record, outcome) = try world.controller.create(CreateRequest(name: Self.name), start: true)
        #expect(outcome == .created && record.enabled)
        #expect(try world.controller.record(Self.name).enabled)
        let effects = world.log.effects
        let bridge = try #require(world.log.index(of: "link: ip link add name \(record.bridge)"))
        let checksums = try #require(world.log.index(of: "checksums: "))
        let dnsmasq = try #require(world.log.index(of: "start: dnsmasq"))
        let firewall = try #require(world.log.index(of: "firewall nftables: [lab]"))
        #expect(bridge < checksums && checksums < dnsmasq && dnsmasq < firewall, "\(effects)")
        #expect(world.log.interfaces.contains(record.bridge))
        #expect(world.log.processes.count == 1)
        #expect(FileSystem.readIfPresent(world.forwardingFile) == "1\n")
        // The runner got argument arrays: dnsmasq with its configuration, nothing through a shell.
        let started = world.runner.commands.all.filter { $0.first == "dnsmasq" }
        #expect(started == [["dnsmasq", "--conf-file=\(world.root)/run/lab/dnsmasq.conf"]])
        #expect(!world.runner.commands.all.contains { ["sh", "bash"].contains($0.first ?? "") })
    }

    @Test func theRecordIsUpBeforeTheFirstLink() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: false)
        var enabledAtFirstLink: Bool?
        // The controller, not the world: the world must go (and remove its directory) after the test.
        let controller = world.controller
        world.log.watch = { label in
            if enabledAtFirstLink == nil, label.hasPrefix("link: ") { enabledAtFirstLink = try? controller.record(Self.name).enabled }
        }
        _ = try world.controller.up([Self.name])
        world.log.watch = nil
        #expect(enabledAtFirstLink == true)
    }

    @Test func theHostResolverComesLast() throws {
        let world = ControllerWorld(resolved: true)
        _ = try world.controller.create(CreateRequest(name: Self.name), start: true)
        let effects = world.log.effects
        let resolver = try #require(world.log.index(of: "resolver: "), "\(effects)")
        #expect(effects[resolver...].allSatisfy { $0.hasPrefix("resolver: ") }, "\(effects)")
        #expect(resolver > (world.log.index(of: "firewall") ?? effects.count), "\(effects)")
    }

    @Test func upThenDownThenUpAgain() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: false)
        #expect(world.log.effects.isEmpty)
        _ = try world.controller.up([Self.name])
        #expect(world.log.processes.count == 1)
        _ = try world.controller.down([Self.name])
        #expect(world.log.interfaces == ["lo"] && world.log.processes.isEmpty)
        #expect(world.log.effects.last?.hasPrefix("link: ip link delete group") == true)
        #expect(try !world.controller.record(Self.name).enabled)
    }

    /// Each effect of a successful create fails in turn: the error names it, and the undo
    /// leaves no link, process or record behind.
    @Test func everyFailurePointIsUndone() throws {
        let reference = ControllerWorld()
        _ = try reference.controller.create(CreateRequest(name: Self.name), start: true)
        let count = reference.log.effects.count
        #expect(count > 5)
        for point in 1...count {
            let world = ControllerWorld()
            world.log.failAt = point
            let failed = reference.log.effects[point - 1]
            do {
                _ = try world.controller.create(CreateRequest(name: Self.name), start: true)
                Issue.record("create succeeded failing at \(point) (\(failed))")
            } catch {
                #expect(error.message.contains("\(failed): injected failure"), "\(error.message)")
                #expect(!error.message.contains("undoing:"), "\(error.message)")
            }
            #expect(world.isClean, "failing at \(point) (\(failed)): left \(world.log.interfaces), \(world.log.processes), \(world.log.effects)")
            // Undo runs newest first: dnsmasq stops before the links go.
            if let stop = world.log.effects.lastIndex(where: { $0.hasPrefix("signal") }),
                let delete = world.log.effects.lastIndex(where: { $0.hasPrefix("link: ip link delete") }) {
                #expect(stop < delete)
            }
        }
    }

    @Test func aFailedUndoIsNamedInTheError() throws {
        let world = ControllerWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: false)
        // The firewall fails after the links were made, and so does their deletion.
        world.log.alwaysFailing = ["firewall", "link: ip link delete"]
        do {
            _ = try world.controller.up([Self.name])
            Issue.record("up succeeded with a failing firewall")
        } catch {
            #expect(error.message.hasPrefix("firewall nftables: [lab]: injected failure; undoing: "), "\(error.message)")
            #expect(error.message.contains("deleting vmn-lab"), "\(error.message)")
            #expect(error.message.contains("link: ip link delete group"), "\(error.message)")
        }
        #expect(world.log.processes.isEmpty)
    }

    @Test func forwardingThatCannotBeTurnedOnUndoesTheLinks() throws {
        let world = ControllerWorld(forwardingFile: "/nonexistent/ip_forward")
        #expect(throws: VmnetError.self) { _ = try world.controller.create(CreateRequest(name: Self.name), start: true) }
        #expect(world.isClean, "\(world.log.effects)")
        #expect(world.log.index(of: "link: ") != nil && world.log.index(of: "firewall") == nil && world.log.index(of: "start:") == nil)
    }

    @Test func withoutRootNothingHappens() throws {
        let world = ControllerWorld(privileged: false)
        #expect(throws: VmnetError.self) { _ = try world.controller.create(CreateRequest(name: Self.name), start: true) }
        #expect(world.log.effects.isEmpty)
    }
}
