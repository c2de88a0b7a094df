import JSON
import Testing
import VmnetCore

/// `autostart` in the record (absent in records written before it: true) and what `up --all` raises.
struct AutostartTests {
    static var recordText: String { JSONCodec.serialize(NetworkRecordCoding.encode(Fixtures.web)) }

    @Test func aRecordWithoutTheKeyKeepsComingUpAtBoot() throws {
        let text = Self.recordText.replacingOccurrences(of: "  \"autostart\": true,\n", with: "")
        #expect(!text.contains("autostart"))
        let record = try NetworkRecordCoding.decode(text: text, file: "f")
        #expect(record.autostart)
        #expect(record == Fixtures.web)
        // Written back, the key is there.
        #expect(NetworkRecordCoding.encode(record)["autostart"] == .bool(true))
    }

    @Test func offIsRecordedAndReadBack() throws {
        var record = Fixtures.web
        record.autostart = false
        let text = JSONCodec.serialize(NetworkRecordCoding.encode(record))
        #expect(text.contains("\"autostart\": false"))
        #expect(try NetworkRecordCoding.decode(text: text, file: "f") == record)
    }

    @Test func aValueOfTheWrongTypeIsAnError() {
        let text = Self.recordText.replacingOccurrences(of: "\"autostart\": true", with: "\"autostart\": \"yes\"")
        #expect(throws: VmnetError.self) { try NetworkRecordCoding.decode(text: text, file: "f") }
        do { _ = try NetworkRecordCoding.decode(text: text, file: "f") } catch {
            #expect(error.message.hasSuffix("autostart: expected a boolean, found string"), "\(error.message)")
        }
    }

    @Test func upAllRaisesAutostartNetworksWhetherOrNotTheyWereTakenDown() {
        var downButAutostart = Fixtures.web
        downButAutostart.enabled = false
        var upWithoutAutostart = Fixtures.lab
        upWithoutAutostart.enabled = true
        upWithoutAutostart.autostart = false
        var downWithoutAutostart = Fixtures.web6
        downWithoutAutostart.enabled = false
        downWithoutAutostart.autostart = false
        let chosen = AutostartSelection.raisedByUpAll([downButAutostart, upWithoutAutostart, downWithoutAutostart])
        #expect(chosen.map(\.name) == [downButAutostart.name])
    }

    @Test func newNetworksAutostartUnlessAskedNot() throws {
        let name = try NetworkName("web")
        #expect(CreateRequest(name: name).autostart)
        var request = CreateRequest(name: name)
        request.autostart = false
        // Creating an existing network again with --no-autostart names the command that changes it.
        #expect(NetworkPlanner.mismatch(request, existing: Fixtures.web)
            == "network 'web' already exists with autostart on: 'vmnet autostart web off' changes it in place")
        request.mtu = 9000
        #expect(NetworkPlanner.mismatch(request, existing: Fixtures.web)?.contains("MTU 1500, autostart on: 'vmnet destroy web' first") == true)
        var off = Fixtures.web
        off.autostart = false
        #expect(NetworkPlanner.mismatch(CreateRequest(name: name), existing: off) == nil)
    }
}
