import Testing
@testable import VmnetShell
import VmnetCore

/// The drop-in that keeps NetworkManager off vmnet's links, on the recording fakes: written
/// before the first link, reloaded only when it changed and NetworkManager runs, removed with
/// the last network.
struct NetworkManagerDropInTests {
    static let lab = try! NetworkName("lab")
    static let web = try! NetworkName("web")

    /// The fake host's NetworkManager: its configuration directory.
    private func installNetworkManager(_ world: ControllerWorld) throws {
        try FileSystem.makeDirectories(FileSystem.parent(of: world.controller.networkManager.directory))
    }

    private func dropIn(_ world: ControllerWorld) -> String? { FileSystem.readIfPresent(world.controller.networkManager.path) }
    private func reloads(_ world: ControllerWorld) -> Int { world.runner.commands.all.filter { $0 == ["nmcli", "general", "reload", "conf"] }.count }

    @Test func theFirstNetworkWritesItAndTheLastOneRemovesIt() throws {
        let world = ControllerWorld()
        try installNetworkManager(world)
        var written: String?
        let path = world.controller.networkManager.path
        world.log.watch = { label in
            if written == nil, label.hasPrefix("link: ") { written = FileSystem.readIfPresent(path) }
        }
        _ = try world.controller.create(CreateRequest(name: Self.lab), start: true)
        world.log.watch = nil
        #expect(written == NetworkManagerPlanner.dropIn(for: [try world.controller.record(Self.lab)]), "written before the first link")
        _ = try world.controller.create(CreateRequest(name: Self.web), start: true)
        _ = try world.controller.destroy([Self.lab])
        #expect(dropIn(world) != nil, "another network is left")
        _ = try world.controller.destroy([Self.web])
        #expect(dropIn(world) == nil)
        #expect(reloads(world) == 0, "no NetworkManager runs on this fake host")
    }

    @Test func aRunningNetworkManagerReloadsOnlyWhenTheDropInChanges() throws {
        let world = ControllerWorld()
        try installNetworkManager(world)
        world.log.processes[4242] = ["/usr/sbin/NetworkManager", "--no-daemon"]
        world.runner.replies.output["nmcli"] = ""
        _ = try world.controller.create(CreateRequest(name: Self.lab), start: true)
        #expect(reloads(world) == 1)
        _ = try world.controller.up([Self.lab])
        _ = try world.controller.create(CreateRequest(name: Self.web), start: true)
        #expect(reloads(world) == 1, "the same text is not written or reloaded again")
        _ = try world.controller.destroy([Self.lab, Self.web])
        #expect(reloads(world) == 2 && dropIn(world) == nil)
    }

    /// The tests' and the selftest's moved directory has no parent: a desktop's NetworkManager
    /// (on PATH and running) is neither written for nor reloaded.
    @Test func aMovedDirectoryWithoutItsParentIsNoNetworkManager() throws {
        let world = ControllerWorld()
        world.log.processes[4242] = ["/usr/sbin/NetworkManager", "--no-daemon"]
        world.runner.replies.output["nmcli"] = ""
        _ = try world.controller.create(CreateRequest(name: Self.lab), start: true)
        #expect(dropIn(world) == nil && reloads(world) == 0)
        world.log.processes[4242] = nil
        let findings = try world.controller.doctor([Self.lab]).filter { $0.check == NetworkManagerPlanner.check }
        #expect(findings.map(\.status) == [.ok])
    }

    @Test func doctorNamesALinkNetworkManagerManages() throws {
        let world = ControllerWorld()
        try installNetworkManager(world)
        _ = try world.controller.create(CreateRequest(name: Self.lab), start: true)
        let bridge = try world.controller.record(Self.lab).bridge
        world.log.processes[4242] = ["/usr/sbin/NetworkManager", "--no-daemon"]
        world.runner.replies.output["nmcli"] = "\(bridge):connected (externally)\nlo:unmanaged\n"
        let findings = try world.controller.doctor([Self.lab]).filter { $0.check == NetworkManagerPlanner.check }
        #expect(findings.map(\.status) == [.fail])
        #expect(findings.first?.detail.hasPrefix("NetworkManager manages \(bridge) (connected (externally))") == true, "\(findings)")
        #expect(findings.first?.fix == "vmnet up lab (rewrites \(world.controller.networkManager.path) and reloads NetworkManager), then restart NetworkManager if a bridge stays managed")
    }
}
