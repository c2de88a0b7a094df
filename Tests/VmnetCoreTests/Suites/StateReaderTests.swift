import JSON
import Testing
import VmnetCore

/// The state readers: every wrong shape is one `FILE:LINE: key: problem` error, nothing is
/// dropped, and versions are checked.
struct StateReaderTests {
    static let file = "/var/lib/vmnet/networks/web/network.json"
    static var recordText: String { JSONCodec.serialize(NetworkRecordCoding.encode(Fixtures.web)) }

    func recordError(_ text: String) -> String? {
        do { _ = try NetworkRecordCoding.decode(text: text, file: StateReaderTests.file); return nil } catch { return error.message }
    }

    @Test func aTruncatedRecordNamesFileAndLine() {
        let text = StateReaderTests.recordText
        let truncated = String(text.prefix(text.count / 2))
        let message = recordError(truncated)
        #expect(message?.hasPrefix("\(StateReaderTests.file):") == true)
        #expect(message?.contains("not valid JSON") == true)
        #expect(recordError("") == "\(StateReaderTests.file):1: not valid JSON at column 1: unexpected token near end of file")
    }

    func line(_ text: String, _ needle: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test func aRecordOfTheWrongShapeNamesFileLineAndKey() {
        let text = StateReaderTests.recordText
        #expect(line(text, #""mode""#) == 5)
        #expect(recordError(text.replacingOccurrences(of: #""mode": "nat""#, with: #""mode": 7"#))
            == "\(StateReaderTests.file):5: mode: expected a string, found number")
        #expect(recordError(text.replacingOccurrences(of: #""enabled": true,"#, with: ""))
            == "\(StateReaderTests.file):1: enabled: missing")
        // A key with a control character is shown escaped: the message stays one line.
        let hostile = recordError(text.replacingOccurrences(of: #""bridge": "vmn-web""#, with: #""bridge": "vmn-web", "col\nour": "red""#))
        #expect(hostile?.contains("col\\nour: unknown key") == true && hostile?.contains("\n") == false, "\(hostile ?? "")")
        #expect(recordError(text.replacingOccurrences(of: #""bridge": "vmn-web""#, with: #""bridge": "vmn-web", "colour": "red""#))
            == "\(StateReaderTests.file):\(line(text, #""bridge""#)): colour: unknown key; known keys are \(NetworkRecordCoding.keys.joined(separator: ", "))")
        #expect(recordError("[]") == "\(StateReaderTests.file):1: expected a JSON object, found array")
        let lines = text.split(separator: "\n")
        let gatewayLine = (lines.firstIndex { $0.contains(#""gateway""#) } ?? 0) + 1
        #expect(recordError(text.replacingOccurrences(of: #""gateway": 1"#, with: #""gateway": "one""#))
            == "\(StateReaderTests.file):\(gatewayLine): address_plan.gateway: expected a whole number, found string")
    }

    @Test func aRecordOfAFutureVersionIsRefused() {
        let text = StateReaderTests.recordText.replacingOccurrences(of: #""version": 2"#, with: #""version": 3"#)
        #expect(recordError(text) == "\(StateReaderTests.file):2: version: version 3 was written by a newer vmnet (this one reads up to 2): upgrade vmnet")
    }

    @Test func aRecordWithoutVersionIsMigrated() throws {
        let old = StateReaderTests.recordText
            .replacingOccurrences(of: "  \"version\": 2,\n", with: "")
            .replacingOccurrences(of: "  \"subnet6\": null,\n", with: "")
            .replacingOccurrences(of: "  \"read_host_files\": false,\n", with: "")
        #expect(!old.contains("version") && !old.contains("read_host_files"))
        let record = try NetworkRecordCoding.decode(text: old, file: "f")
        #expect(record == Fixtures.web)
        // Written back, it has the current version.
        #expect(NetworkRecordCoding.encode(record)["version"] == .integer(Int64(NetworkRecordCoding.formatVersion)))
    }

    @Test func aDamagedRecordStillNamesItsBridge() {
        let text = StateReaderTests.recordText.replacingOccurrences(of: #""mode": "nat""#, with: #""mode": 7"#)
        #expect(NetworkRecordCoding.salvageBridge(text: text) == "vmn-web")
        #expect(NetworkRecordCoding.salvageBridge(text: "{\"bri") == nil)
        let broken = BrokenNetwork(name: try! NetworkName("web"), problem: "p", recordedBridge: nil)
        #expect(broken.candidateBridges(takenByOthers: []) == ["vmn-web", BridgeNamer.bridgeName(for: try! NetworkName("web"), taken: ["vmn-web"])])
        #expect(broken.candidateBridges(takenByOthers: ["vmn-web"]).count == 1)
        // Only a bridge with vmnet's keeper port is taken for its own when the record names none.
        let keeper = BridgeNamer.keeperPort(for: "vmn-web").port
        #expect(broken.bridge(present: ["vmn-web"], takenByOthers: []) == nil)
        #expect(broken.bridge(present: ["vmn-web", keeper], takenByOthers: []) == "vmn-web")
        #expect(broken.bridge(present: ["vmn-web", keeper], takenByOthers: ["vmn-web"]) == nil)
        #expect(broken.tearDown(bridge: "vmn-web", present: ["vmn-web", keeper]).map(\.description).count == 3)
    }

    static let hostsFile = "/s/hosts.json"

    func hostsError(_ text: String) -> String? {
        do { _ = try HostReservationsFile.decode(text: text, file: StateReaderTests.hostsFile); return nil } catch { return error.message }
    }

    static let db = HostReservation(name: "db", mac: MACAddress("02:00:00:00:00:01")!, ip: IPv4Address("10.140.7.2")!)
    static let vm = HostReservation(name: "vm", mac: MACAddress("02:00:00:00:00:02")!, ip: IPv4Address("10.140.7.3")!)

    @Test func hostsRoundTripAndTheBareArrayIsMigrated() throws {
        let text = JSONCodec.serialize(HostReservationsFile.encode([StateReaderTests.vm, StateReaderTests.db]))
        #expect(try HostReservationsFile.decode(text: text, file: "f") == [StateReaderTests.db, StateReaderTests.vm])
        let old = JSONCodec.serialize(.array([StateReaderTests.db.json, StateReaderTests.vm.json]))
        #expect(try HostReservationsFile.decode(text: old, file: "f") == [StateReaderTests.db, StateReaderTests.vm])
    }

    @Test func aHostEntryOfTheWrongShapeIsAnErrorNotDropped() {
        let file = StateReaderTests.hostsFile
        #expect(hostsError(#"{"h9":{}}"#) == "\(file):1: h9: unknown key; known keys are version, hosts")
        let text = JSONCodec.serialize(HostReservationsFile.encode([StateReaderTests.db, StateReaderTests.vm]))
        // The second entry's mac, on its own line.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let secondMAC = (lines.lastIndex { $0.contains(#""mac""#) } ?? 0) + 1
        #expect(hostsError(text.replacingOccurrences(of: #""02:00:00:00:00:02""#, with: "2"))
            == "\(file):\(secondMAC): hosts[1].mac: expected a string, found number")
        #expect(hostsError(text.replacingOccurrences(of: #""02:00:00:00:00:02""#, with: #""nonsense""#))
            == "\(file):\(secondMAC): hosts[1].mac: 'nonsense' is not a MAC address")
        #expect(hostsError("{\"version\": 1, \"hosts\": [\n  {}\n]}") == "\(file):2: hosts[0].name: missing")
        #expect(hostsError("{\"version\": 1, \"hosts\": [\n  7\n]}") == "\(file):2: hosts[0]: expected an object with name, mac and ip, found number")
        #expect(hostsError(#"{"version": 3, "hosts": []}"#) == "\(file):1: version: version 3 was written by a newer vmnet (this one reads up to 2): upgrade vmnet")
        #expect(hostsError("[{\"name\": \"db\",")?.hasPrefix("\(file):1: not valid JSON") == true)
    }

    static let runtimesFile = "/s/runtimes.json"

    func runtimesError(_ text: String) -> String? {
        do { _ = try InstalledRuntimes(text: text, file: StateReaderTests.runtimesFile); return nil } catch { return error.message }
    }

    @Test func installedRuntimesAreReadStrictly() throws {
        let installed = InstalledRuntimes(
            podmanFile: "/etc/containers/networks/web.json", cniFile: nil,
            libvirt: .init(uri: nil, xmlFile: "/s/libvirt-network.xml", defined: true, uuid: "9812bbd6-ee3b-4da6-8e49-d459506f12f4", bridge: "vmn-web"))
        #expect(try InstalledRuntimes(text: JSONCodec.serialize(installed.json()), file: "f") == installed)
        // Before versions: no version, no uuid or bridge.
        let old = #"{"podman": {"file": "/p/web.json"}, "libvirt": {"uri": null, "xml": "/x.xml", "defined": false}}"#
        #expect(try InstalledRuntimes(text: old, file: "f") == InstalledRuntimes(podmanFile: "/p/web.json", libvirt: .init(uri: nil, xmlFile: "/x.xml", defined: false)))
        let file = StateReaderTests.runtimesFile
        #expect(runtimesError(#"{"podman": {"file": "/p/web.json"}"#)?.hasPrefix("\(file):1: not valid JSON") == true)
        #expect(runtimesError("{\n  \"podman\": {\n    \"path\": \"/p\"\n  }\n}") == "\(file):3: podman.path: unknown key; known keys are file")
        #expect(runtimesError("{\n  \"cni\": []\n}") == "\(file):2: cni: expected an object, found array")
        #expect(runtimesError(#"{"version": 9}"#) == "\(file):1: version: version 9 was written by a newer vmnet (this one reads up to 1): upgrade vmnet")
    }

    @Test func runtimeFilesAreCheckedAgainstWhatVmnetWrites() {
        let web = Fixtures.web
        let installed = InstalledRuntimes(podmanFile: "/p/web.json", cniFile: "/c/web.conflist", libvirt: .init(uri: nil, xmlFile: "/x.xml", defined: false))
        let files = ["/p/web.json": PodmanNetworkConfig.render(web), "/c/web.conflist": "edited"]
        let checked = RuntimeFileStatus.check(installed, network: web) { files[$0] }
        #expect(checked.map(\.state) == [.present, .changed, .missing])
        #expect(checked.map(\.kind) == [.podman, .cni, .libvirt])
        #expect(checked[2].json == .object(["kind": "libvirt", "path": "/x.xml", "state": "missing"]))
    }

    @Test func unpublishedDHCPNamesAreMarked() {
        let db = StateReaderTests.db
        let stranger = MACAddress("02:00:00:00:00:09")!
        let leases = [
            DHCPLease(expires: 100, mac: stranger, ip: IPv4Address("10.140.7.201")!, hostname: "db"),
            DHCPLease(expires: 300, mac: MACAddress("02:00:00:00:00:0a")!, ip: IPv4Address("10.140.7.202")!, hostname: "twin"),
            DHCPLease(expires: 200, mac: MACAddress("02:00:00:00:00:0b")!, ip: IPv4Address("10.140.7.203")!, hostname: "twin"),
        ]
        let entries = LeaseEntry.merge(network: "web", leases: leases, reservations: [db], containers: [])
        #expect(entries.map(\.hostname) == ["db", nil, "twin", nil])
        #expect(entries.map(\.requestedName) == [nil, "db", nil, "twin"])
        #expect(entries.map(\.note) == [nil, LeaseEntry.takenByReservation, nil, LeaseEntry.takenByClient])
        #expect(entries[1].json["note"] == .string("name taken by reservation"))
        #expect(entries[1].json["hostname"] == .null && entries[1].json["requested_name"] == .string("db"))
        #expect(LeaseEntry.table(entries, now: 0).contains("- (db: name taken by reservation)"))
    }
}
