import Testing
@testable import VmnetShell
import VmnetCore

/// The accept_ra guard in `create` and `up`, on recording fakes and a /proc of the world's own.
struct AcceptRAControllerTests {
    static let name = try! NetworkName("lab")

    /// A world whose eth0 holds a default route learned from router advertisements, accept_ra 1.
    static func routedWorld() throws -> ControllerWorld {
        let world = ControllerWorld()
        let proc = world.root + "/proc"
        try FileSystem.makeDirectories(proc + "/net")
        try FileSystem.writeAtomically(
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00450003     eth0\n",
            to: proc + "/net/ipv6_route")
        for interface in ["eth0", "wlan0"] {
            try FileSystem.makeDirectories(proc + "/sys/net/ipv6/conf/\(interface)")
            try FileSystem.writeAtomically("1\n", to: proc + "/sys/net/ipv6/conf/\(interface)/accept_ra")
        }
        return world
    }

    func sysctl(_ world: ControllerWorld, _ path: String) -> String? {
        FileSystem.readIfPresent(world.root + "/proc/sys/net/ipv6/conf/" + path)
    }

    @Test func createRefusesBeforeAnyEffect() throws {
        let world = try Self.routedWorld()
        do {
            _ = try world.controller.create(CreateRequest(name: Self.name), start: true)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .conflict && error.message.contains("eth0 takes its default route"), "\(error.message)")
        }
        #expect(world.log.effects.isEmpty, "\(world.log.effects)")
        #expect(world.isClean)
        #expect(sysctl(world, "all/forwarding") == "0\n" && sysctl(world, "eth0/accept_ra") == "1\n")
    }

    @Test func upRefusesTooAndTheFixSetsAcceptRA2OnThatInterfaceOnly() throws {
        let world = try Self.routedWorld()
        _ = try world.controller.create(CreateRequest(name: Self.name), start: false)
        #expect(throws: VmnetError.self) { _ = try world.controller.up([Self.name]) }
        #expect(world.log.effects.isEmpty, "\(world.log.effects)")
        _ = try world.controller.up([Self.name], fixAcceptRA: true)
        #expect(sysctl(world, "eth0/accept_ra") == "2\n" && sysctl(world, "wlan0/accept_ra") == "1\n")
        #expect(sysctl(world, "all/forwarding") == "1\n")
        #expect(world.controller.warnings.lines.contains { $0.hasPrefix("set net.ipv6.conf.eth0.accept_ra=2") })
    }

    @Test func aNetworkWithoutIPv6ChecksNothing() throws {
        let world = try Self.routedWorld()
        var request = CreateRequest(name: Self.name)
        request.noIPv6 = true
        _ = try world.controller.create(request, start: true)
        #expect(sysctl(world, "all/forwarding") == "0\n" && sysctl(world, "eth0/accept_ra") == "1\n")
    }
}
