import JSON
import Testing
import VmnetCore

/// `vmnet cluster join|status|leave`'s decisions: the arguments, what join sets in the local
/// Open vSwitch and what leave restores, and the status of each chassis.
@Suite struct ClusterMembershipTests {
    func request(chassis: String? = nil, gateway: Bool = false) throws -> ClusterJoinRequest {
        try ClusterJoinRequest(northbound: "tcp:172.31.255.11:6641", southbound: nil, encapIP: "172.31.255.12", chassis: chassis, gateway: gateway)
    }

    @Test func joinTakesOnlyOVSDBAddressesAndAnIP() throws {
        #expect(try request().southbound.description == "tcp:172.31.255.11:6642")
        #expect(try ClusterJoinRequest(northbound: "ssl:[fd00::1]:6641", southbound: "unix:/run/ovn/sb.sock", encapIP: "fd00::2", chassis: nil,
                                       gateway: false).southbound.description == "unix:/run/ovn/sb.sock")
        for (nb, sb, ip, chassis) in [("172.31.255.11:6641", nil, "10.0.0.1", nil), ("tcp:172.31.255.11", nil, "10.0.0.1", nil),
                                      ("tcp:1.2.3.4:6641", "http://x", "10.0.0.1", nil), ("tcp:1.2.3.4:6641", nil, "host", nil),
                                      ("tcp:1.2.3.4:6641", nil, "10.0.0.1", "a b"), ("tcp:1.2.3.4:6641", nil, "10.0.0.1", "")] as [(String, String?, String, String?)] {
            #expect(throws: VmnetError.self) { try ClusterJoinRequest(northbound: nb, southbound: sb, encapIP: ip, chassis: chassis, gateway: false) }
        }
        do {
            _ = try ClusterJoinRequest(northbound: "6641", southbound: nil, encapIP: "10.0.0.1", chassis: nil, gateway: false)
        } catch {
            #expect(error.code == .invalidInput)
            #expect(error.message == "joining the cluster: --nb '6641' is not an OVSDB address: \(OVSDBAddress.formHint)")
        }
    }

    @Test func theChassisNameIsTheOptionElseTheSystemIDElseTheHostName() throws {
        #expect(try request(chassis: "h2").chassisName(systemID: "old", hostname: "box") == "h2")
        #expect(try request().chassisName(systemID: "old", hostname: "box") == "old")
        #expect(try request().chassisName(systemID: nil, hostname: "box") == "box")
    }

    @Test func joinReplacesOVNsKeysAndRemembersWhatWasThere() throws {
        let current = ["system-id": "old", "ovn-remote": "tcp:192.0.2.1:6642", "hostname": "box"]
        let plan = MembershipPlan(request: try request(gateway: true), current: current, hostname: "box")
        #expect(plan.chassis == "old")
        #expect(plan.previous == ["system-id": "old", "ovn-remote": "tcp:192.0.2.1:6642", "ovn-encap-type": nil, "ovn-encap-ip": nil,
                                  "ovn-cms-options": nil])
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.openVSwitch, plan.operations).lines, "cluster-join-gateway.ovsdb")
        try GoldenFile.check(OVSDBTransaction(OVSDBTransaction.openVSwitch, MembershipPlan.restoreOperations(previous: plan.previous)).lines,
                             "cluster-leave-restore.ovsdb")
        let plain = MembershipPlan(request: try request(chassis: "h3"), current: [:], hostname: "box")
        #expect(plain.settings == ["system-id": "h3", "ovn-remote": "tcp:172.31.255.11:6642", "ovn-encap-type": "geneve", "ovn-encap-ip": "172.31.255.12"])
        #expect(MembershipPlan.restoreOperations(previous: plain.previous)
            == [.mutate(table: "Open_vSwitch", where: [], mutations: [.delete("external_ids", .strings(["ovn-encap-ip", "ovn-encap-type", "ovn-remote", "system-id"]))])])
    }

    @Test func aChassisIsConnectedOnceItReportsTheBumpedConfiguration() {
        #expect(ChassisStatus.isConnected(reported: 7, target: 7))
        #expect(ChassisStatus.isConnected(reported: 8, target: 7))
        #expect(!ChassisStatus.isConnected(reported: 6, target: 7))
        #expect(!ChassisStatus.isConnected(reported: nil, target: 7))
        #expect(!ChassisStatus.allConnected(privates: [OVSDBRow(["name": .string("h1"), "nb_cfg": .integer(7)]),
                                                       OVSDBRow(["name": .string("h2"), "nb_cfg": .integer(3)])], target: 7))
    }

    @Test func statusListsEachChassisWithItsNetworks() throws {
        let chassis = [
            OVSDBRow(["_uuid": .uuid("c2"), "name": .string("h2"), "hostname": .string("compute1"), "encaps": .set([.uuid("e2")]),
                      "other_config": .map(["ovn-cms-options": "enable-chassis-as-gw"]), "external_ids": .map([:])]),
            OVSDBRow(["_uuid": .uuid("c1"), "name": .string("h1"), "hostname": .string("central"), "encaps": .set([.uuid("e1")]),
                      "other_config": .map([:]), "external_ids": .map(["ovn-cms-options": "foo,enable-chassis-as-gw"])]),
            OVSDBRow(["_uuid": .uuid("c3"), "name": .string("h3"), "hostname": .string(""), "encaps": .set([.uuid("e3")]),
                      "other_config": .map([:]), "external_ids": .map([:])]),
        ]
        let encaps = [OVSDBRow(["_uuid": .uuid("e1"), "ip": .string("172.31.255.11")]), OVSDBRow(["_uuid": .uuid("e2"), "ip": .string("172.31.255.12")]),
                      OVSDBRow(["_uuid": .uuid("e3"), "ip": .string("172.31.255.13")])]
        let privates = [OVSDBRow(["name": .string("h1"), "nb_cfg": .integer(4)]), OVSDBRow(["name": .string("h2"), "nb_cfg": .integer(4)]),
                        OVSDBRow(["name": .string("h3"), "nb_cfg": .integer(2)])]
        let bindings = [OVSDBRow(["logical_port": .string("vmnet-web-vm1"), "chassis": .set([.uuid("c2")])]),
                        OVSDBRow(["logical_port": .string("vmnet-db-vm2"), "chassis": .set([.uuid("c2")])]),
                        OVSDBRow(["logical_port": .string("neutron-port"), "chassis": .set([.uuid("c1")])])]
        let owned = ["vmnet-web-vm1": "web", "vmnet-db-vm2": "db"]
        let statuses = ChassisStatus.statuses(chassis: chassis, encaps: encaps, privates: privates, bindings: bindings, ownedPorts: owned, target: 4)
        #expect(statuses.map(\.name) == ["h1", "h2", "h3"])
        #expect(statuses.map(\.gateway) == [true, true, false])
        #expect(statuses.map(\.connected) == [true, true, false])
        #expect(ChassisStatus.boundPorts(chassisUUID: "c2", bindings: bindings, ownedPorts: owned) == ["db": ["vmnet-db-vm2"], "web": ["vmnet-web-vm1"]])
        try GoldenFile.check(ChassisStatus.table(statuses), "cluster-status.txt")
        try GoldenFile.check(JSONCodec.serialize(.array(statuses.map(\.json))), "cluster-status.json")
    }
}
