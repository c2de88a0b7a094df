import JSON
import Testing
import VmnetCore

/// The OVSDB wire format vmnet builds transactions in and reads replies from (RFC 7047).
@Suite struct OVSDBTests {
    @Test func datumsUseTheTaggedArrayNotation() {
        #expect(JSONCodec.serialize(OVSDBDatum.map(["b": "2", "a": "1"]).json, compact: true) == #"["map",[["a","1"],["b","2"]]]"#)
        #expect(JSONCodec.serialize(OVSDBDatum.strings(["10.0.0.1/24"]).json, compact: true) == #"["set",["10.0.0.1/24"]]"#)
        #expect(JSONCodec.serialize(OVSDBDatum.namedUUID("ls").json, compact: true) == #"["named-uuid","ls"]"#)
        let decoded = OVSDBDatum(json: try! JSONCodec.parse(#"["set",[["uuid","a-b"],["uuid","c-d"]]]"#, source: "test"))
        #expect(decoded == .set([.uuid("a-b"), .uuid("c-d")]))
    }

    @Test func aTransactionIsTheDatabaseThenItsOperations() {
        let transaction = OVSDBTransaction(OVSDBTransaction.northbound, [
            .wait(table: "Logical_Switch", where: [], columns: ["name"], rows: [["name": .string("a")]]),
            .insert(table: "Logical_Switch", row: ["name": .string("b"), "external_ids": .map(OVNOwnership.marks(network: "b"))], uuidName: "ls"),
        ])
        #expect(transaction.text == #"["OVN_Northbound",{"op":"wait","timeout":0,"table":"Logical_Switch","where":[],"columns":["name"],"until":"==","rows":[{"name":"a"}]},{"op":"insert","table":"Logical_Switch","row":{"external_ids":["map",[["vmnet-network","b"],["vmnet-owner","vmnet"],["vmnet-version","1"]]],"name":"b"},"uuid-name":"ls"}]"#)
    }

    @Test func repliesTellALostRaceFromAFailure() throws {
        let operations: [OVSDBOperation] = [.wait(table: "Logical_Switch", where: [], columns: ["name"], rows: []),
                                            .insert(table: "Logical_Switch", row: [:], uuidName: nil)]
        let lost = try OVSDBReply(json: JSONCodec.parse(#"[{"details":"\"where\" clause test failed","error":"timed out"},{}]"#, source: "t"),
                                  operations: operations)
        #expect(lost.lostRace)
        let refused = try OVSDBReply(json: JSONCodec.parse(#"[{},{"uuid":["uuid","x"]},{"error":"referential integrity violation","details":"d"}]"#, source: "t"),
                                     operations: operations)
        #expect(!refused.lostRace)
        #expect(refused.failure?.index == nil)
        #expect(refused.failure?.result.error == "referential integrity violation")
        #expect(refused.insertedUUID(1) == "x")
    }

    @Test func rowsReadTheirColumnsTyped() throws {
        let reply = try OVSDBReply(json: JSONCodec.parse(#"[{"rows":[{"_uuid":["uuid","u1"],"name":"vmnet-web","other_config":["map",[["subnet","10.140.3.0/24"]]],"ports":["set",[]],"up":["set",[true]]}]}]"#, source: "t"),
                                   operations: [.select(table: "Logical_Switch", where: [], columns: [])])
        let row = try #require(reply.rows(0).first)
        #expect(row.uuid == "u1")
        #expect(row.string("name") == "vmnet-web")
        #expect(row.map("other_config")["subnet"] == "10.140.3.0/24")
        #expect(row.strings("ports") == [])
        #expect(row.bool("up") == true)
    }

    @Test func addressesMustBeInOVSDBForm() {
        #expect(OVSDBAddress("tcp:192.0.2.10:6641")?.withPort(6642).description == "tcp:192.0.2.10:6642")
        #expect(OVSDBAddress("ssl:[fd00::1]:6641")?.endpoints.first?.host == "fd00::1")
        #expect(OVSDBAddress("unix:/run/ovn/ovnnb_db.sock")?.withPort(6642).description == "unix:/run/ovn/ovnnb_db.sock")
        #expect(OVSDBAddress("tcp:10.0.0.1:6641,tcp:10.0.0.2:6641")?.endpoints.count == 2)
        for bad in ["192.0.2.10:6641", "tcp:192.0.2.10", "tcp:host.example:6641", "tcp:192.0.2.10:0", "unix:relative", "http://x", ""] {
            #expect(OVSDBAddress(bad) == nil, "\(bad)")
        }
    }
}

/// A cluster network's record in its switch's external_ids, both ways.
@Suite struct ClusterNetworkRecordTests {
    @Test func theSwitchExternalIDsHoldTheWholeNetwork() throws {
        let network = ClusterNetwork(
            name: try NetworkName("shop"), profile: "ovn-nat", mode: .nat, subnet: IPv4Subnet("10.140.7.0/24")!,
            subnet6: IPv6Subnet("fd42:1:2:3::/64"), planOffsets: .proportional(prefixLength: 24), mtu: 1442, leaseTime: "1h",
            dnsServers: [IPv4Address("198.51.100.2")!], gateways: ["h1", "h2"], created: "2026-12-04T07:00:00Z")
        #expect(network.externalIDs["vmnet-plan"] == "1 2-63 64-191 192-254")
        #expect(ClusterNetwork(externalIDs: network.externalIDs) == network)
        var foreign = network.externalIDs
        foreign["vmnet-owner"] = "someone-else"
        #expect(ClusterNetwork(externalIDs: foreign) == nil)
        #expect(OVNNames.memberInterface(network.name).count <= 15)
    }
}

/// A member's OVS ports whose network NB no longer holds.
@Suite struct StaleAttachmentTests {
    @Test func onlyMemberPortsWhoseNBPortIsGoneAreStale() throws {
        func port(_ uuid: String, _ name: String, _ ids: [String: String]) -> OVSDBRow {
            OVSDBRow(["_uuid": .uuid(uuid), "name": .string(name), "external_ids": .map(ids)])
        }
        let kept = port("u1", OVNNames.memberInterface(try NetworkName("shop")), OVNOwnership.marks(network: "shop"))
        let gone = port("u2", OVNNames.memberInterface(try NetworkName("lab")), OVNOwnership.marks(network: "lab"))
        let foreign = port("u3", "vmh-notours", ["owner": "someone"])
        let stale = StaleAttachments(localPorts: [kept, gone, foreign], memberPorts: ["vmnet-shop-host-h2"], chassis: "h2")
        #expect(stale.attachments.map(\.portUUID) == ["u2"])
        #expect(stale.finding.status == .warn && stale.finding.fix == "vmnet up --all")
        #expect(StaleAttachments(localPorts: [kept], memberPorts: ["vmnet-shop-host-h2"], chassis: "h2").finding.status == .ok)
    }
}
