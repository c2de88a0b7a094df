import JSON
import Testing
import VmnetShell

/// `up --all` (the unit at boot) raises only autostart networks; `down` keeps the setting.
@Suite("Autostart, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct AutostartTests {
    @Test func upAllRaisesOnlyAutostartNetworksAndDownKeepsTheSetting() throws {
        let world = try VmnetWorld("as")
        try world.ok("create", "boot")
        try world.ok("create", "hand", "--no-autostart")
        let listed = try world.networks()
        #expect(listed.map { $0["autostart"] } == [.bool(true), .bool(false)])
        #expect(try world.network("hand")["autostart"] == .bool(false))
        let table = try world.ok("list").standardOutput.split(separator: "\n")
        #expect(table.first?.contains(" AUTOSTART ") == true)
        #expect(table.dropFirst().map { $0.contains(" yes ") } == [true, false])
        #expect(table.dropFirst().map { $0.contains(" no ") } == [false, true])

        // Changing the setting touches nothing else: same dnsmasq, same rules.
        let pid = try world.network("boot")["dnsmasq_pid"]
        let rules = try world.inHost("nft", "list", "ruleset").standardOutput
        #expect(try world.ok("autostart", "boot", "on").standardOutput == "autostart of boot is already on\n")
        #expect(try world.ok("autostart", "boot", "off").standardOutput == "autostart of boot is off\n")
        #expect(try world.ok("autostart", "boot", "on").standardOutput == "autostart of boot is on\n")
        #expect(try world.network("boot")["dnsmasq_pid"] == pid)
        #expect(try world.inHost("nft", "list", "ruleset").standardOutput == rules)

        try world.ok("down", "--all")
        #expect(try world.networks().map { $0["state"]?.stringValue } == ["down", "down"])
        // Taken down by the user, `boot` kept its autostart: `up --all` raises it, and only it.
        let upAll = try world.ok("up", "--all").standardOutput
        #expect(upAll.contains("up: boot") && !upAll.contains("hand"), "\(upAll)")
        #expect(try world.networks().map { $0["state"]?.stringValue } == ["up", "down"])
        #expect(try world.networks().map { $0["autostart"] } == [.bool(true), .bool(false)])
        // A named network comes up whatever its autostart, and keeps it.
        try world.ok("up", "hand")
        #expect(try world.network("hand")["state"]?.stringValue == "up")
        #expect(try world.network("hand")["autostart"] == .bool(false))
        try world.ok("down", "hand")
        try world.ok("up", "--all")
        #expect(try world.network("hand")["state"]?.stringValue == "down")
    }

    @Test func badInputIsOneLineAndChangesNothing() throws {
        let world = try VmnetWorld("ab")
        try world.ok("create", "only")
        let record = world.stateDirectory + "/networks/only/network.json"
        let before = FileSystem.readIfPresent(record)
        for (arguments, status) in [(["autostart", "missing", "on"], Int32(3)), (["autostart", "only", "maybe"], 2), (["autostart", "Bad_Name", "on"], 2)] {
            let result = try world.vmnet(arguments)
            #expect(result.status == status, "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
        #expect(FileSystem.readIfPresent(record) == before)
    }
}
