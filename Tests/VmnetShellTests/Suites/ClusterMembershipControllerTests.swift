import Testing
@testable import VmnetShell
import VmnetCore

/// join and leave on fake databases: what reaches which database, in which order, and that a
/// refusal or an unreachable database changes nothing.
@Suite(.enabled(if: ExecutableLocator.find("ovsdb-client") != nil))
struct ClusterMembershipControllerTests {
    static let nb = "tcp:192.0.2.10:6641", sb = "tcp:192.0.2.10:6642"

    let world = ControllerWorld()
    let databases = FakeOVSDB()
    var local: String { "unix:\(world.root)/ovs/db.sock" }

    func controller() throws -> ClusterController {
        var collaborators = world.collaborators
        collaborators.runner = databases
        return try ClusterController(paths: world.paths, environment: ["OVS_RUNDIR": world.root + "/ovs"], collaborators: collaborators)
    }

    func joined() throws {
        try ClusterConfig(northbound: Self.nb, southbound: Self.sb, chassis: "h2", encapIP: "192.0.2.12", gateway: false,
                          previous: ["system-id": "old", "ovn-remote": nil, "ovn-encap-type": nil, "ovn-encap-ip": nil]).save(world.paths)
    }

    @Test func joinWritesNothingWhenTheSouthboundDatabaseDoesNotAnswer() throws {
        databases.unreachable = [Self.sb]
        let request = try ClusterJoinRequest(northbound: Self.nb, southbound: nil, encapIP: "192.0.2.12", chassis: "h2", gateway: false)
        let controller = try controller()
        let error = #expect(throws: VmnetError.self) { try controller.join(request) }
        #expect(error?.code == .failed)
        #expect(error?.message.hasPrefix("joining the cluster: cannot reach the OVN southbound database at \(Self.sb): failed to connect") == true)
        #expect(databases.sent == ["\(Self.nb) select NB_Global"])
        #expect(!FileSystem.exists(ClusterConfig.file(in: world.paths)))
    }

    @Test func leaveIsRefusedWhileAVmnetPortIsBoundHere() throws {
        try joined()
        databases.rows[Self.sb] = ["Chassis": #"[{"_uuid":["uuid","c2"]}]"#,
                                   "Port_Binding": #"[{"logical_port":"vmnet-web-vm1","chassis":["uuid","c2"]}]"#]
        databases.rows[Self.nb] = ["Logical_Switch_Port": #"[{"name":"vmnet-web-vm1","external_ids":["map",[["vmnet-network","web"],["vmnet-owner","vmnet"]]]}]"#]
        let controller = try controller()
        let error = #expect(throws: VmnetError.self) { try controller.leave(force: false) }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("web (vmnet-web-vm1)") == true)
        #expect(!databases.sent.contains { $0.hasPrefix(local) || $0.contains(" delete ") })
        #expect(FileSystem.exists(ClusterConfig.file(in: world.paths)))

        _ = try controller.leave(force: true)
        #expect(databases.sent.suffix(3) == ["\(local) mutate Open_vSwitch", "\(Self.sb) delete Chassis_Private", "\(Self.sb) delete Chassis"])
        #expect(!FileSystem.exists(ClusterConfig.file(in: world.paths)))
    }
}
