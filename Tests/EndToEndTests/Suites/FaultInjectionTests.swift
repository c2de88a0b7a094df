import Glibc
import JSON
import Testing
import VmnetCore
import VmnetShell

/// vmnet killed (SIGKILL, through the `VMNET_FAULT` test hook) at every `FaultPoint` of
/// create, up --all, down --all, destroy and host add, then `vmnet up --all`: whatever the
/// killed command left is finished or undone, and the world converges — no bridge, set
/// element, dnsmasq, file or directory without a record, no record without its parts, leases
/// and reservations unchanged. Plus a simulated reboot, a damaged journal, and a read-only
/// state directory. Damaged network.json, hosts.json and runtimes.json (truncated, wrong
/// shape, future version) are StateTests' business and not repeated here.
@Suite("Killed commands are finished or undone, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct FaultInjectionTests {
    /// What must not change across a killed command and its recovery.
    struct Kept: Equatable {
        let reservations: String
        let leases: String
    }

    func kept(_ world: VmnetWorld) throws -> Kept {
        Kept(reservations: try world.ok("host", "list", "keep", "--json").standardOutput,
             leases: try FileSystem.read(world.stateDirectory + "/networks/keep/leases"))
    }

    /// Two networks up, a reservation and a real lease on `keep` (its client's port then goes,
    /// so that `down` has no guest to refuse for).
    func populatedWorld(_ tag: String) throws -> (VmnetWorld, Kept) {
        let world = try VmnetWorld(tag)
        try world.ok("create", "keep")
        try world.ok("create", "other", "--profile", "host-only")
        try world.ok("host", "add", "keep", "h1")
        let client = try world.leasedClient(on: "keep", hostname: "guest1")
        _ = try world.sandbox.run(in: client.namespace, ["ip", "link", "del", "eth0"]).requireSuccess("removing the client's port")
        return (world, try kept(world))
    }

    /// Everything vmnet made has a record and every record has all its parts.
    func expectConverged(_ world: VmnetWorld, _ label: String, _ before: Kept) throws {
        let networks = try world.networks()
        let names = Set(networks.compactMap { $0["name"]?.stringValue })
        let bridges = Set(networks.compactMap { $0["bridge"]?.stringValue })
        for network in networks {
            #expect(network["state"]?.stringValue == "up", "\(label): \(JSONCodec.serialize(network, compact: true))")
        }
        let keepers = Set(bridges.flatMap { bridge in
            let keeper = BridgeNamer.keeperPort(for: bridge)
            return [keeper.port, keeper.peer]
        })
        let links = try world.links().split(separator: "\n").compactMap { line in
            line.split(separator: " ").dropFirst().first.map { String($0.prefix { $0 != ":" && $0 != "@" }) }
        }
        for link in links where link.hasPrefix(BridgeNamer.prefix) { #expect(bridges.contains(link), "\(label): stray bridge \(link)") }
        for link in links where link.hasPrefix("vmp-") || link.hasPrefix("vmq-") { #expect(keepers.contains(link), "\(label): stray keeper \(link)") }
        let table = try world.nftTable() ?? ""
        let named = Set(table.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }.map(String.init).filter { $0.hasPrefix(BridgeNamer.prefix) })
        #expect(named.isSubset(of: bridges), "\(label): firewall names \(named.subtracting(bridges).sorted())")

        var dnsmasqOf: [String] = []
        for pid in try world.hostPids() {
            let arguments = (FileSystem.readIfPresent("/proc/\(pid)/cmdline") ?? "").split(separator: "\0")
            guard let config = arguments.first(where: { $0.hasPrefix("--conf-file=" + world.runDirectory) }) else { continue }
            dnsmasqOf.append(FileSystem.baseName(FileSystem.parent(of: String(config.dropFirst("--conf-file=".count)))))
        }
        #expect(dnsmasqOf.sorted() == names.sorted(), "\(label): dnsmasq of \(dnsmasqOf.sorted())")
        #expect(Set(FileSystem.list(world.stateDirectory + "/networks")) == names, "\(label): state directories")
        #expect(Set(FileSystem.list(world.runDirectory)).isSubset(of: names), "\(label): run directories")
        let temporary = try world.sandbox.runner.run(["find", world.stateDirectory, world.runDirectory, "-name", "*.tmp"]).standardOutput
        #expect(temporary.isEmpty, "\(label): \(temporary)")
        #expect(!FileSystem.exists(world.stateDirectory + "/" + Intent.fileName), "\(label): the journal stayed")

        let doctor = try world.vmnet("doctor", "--json")
        let findings = try JSONCodec.parse(doctor.standardOutput, source: "doctor").arrayValue ?? []
        for finding in findings where !["ok", "warn"].contains(finding["status"]?.stringValue ?? "") {
            Issue.record("\(label): doctor: \(JSONCodec.serialize(finding, compact: true))")
        }
        #expect(try kept(world) == before, "\(label): leases or reservations changed")
    }

    func killed(_ world: VmnetWorld, _ point: FaultPoint, _ arguments: String...) throws {
        let result = try world.vmnet(arguments, environment: ["VMNET_FAULT": point.rawValue])
        #expect(result.status == 128 + SIGKILL || result.status == -SIGKILL, "\(point.rawValue): vmnet \(arguments.joined(separator: " ")) was not killed: \(result.status) \(result.standardError)")
        #expect(FileSystem.exists(world.stateDirectory + "/" + Intent.fileName), "\(point.rawValue): no journal left")
    }

    @Test func everyFaultPointIsFinishedOrUndoneByTheNextCommand() throws {
        let (world, before) = try populatedWorld("fi")
        for point in FaultPoint.allCases {
            let label = point.rawValue
            switch point.command {
            case .create:
                try killed(world, point, "create", "fx")
                try world.ok("up", "--all")
                #expect(try !world.networks().contains { $0["name"] == "fx" }, "\(label): a killed create is undone")
            case .up:
                try world.ok("down", "--all")
                try killed(world, point, "up", "--all")
                try world.ok("up", "--all")
            case .down:
                try killed(world, point, "down", "--all")
                try world.ok("up", "--all")
            case .destroy:
                try world.ok("create", "fx")
                try killed(world, point, "destroy", "fx")
                try world.ok("up", "--all")
                #expect(try !world.networks().contains { $0["name"] == "fx" }, "\(label): a killed destroy is finished")
            case .hostAdd:
                try killed(world, point, "host", "add", "keep", "h2")
                // A command that does not touch keep: only the recovery can bring its lists up to date.
                try world.ok("up", "other")
                let reserved = try world.ok("host", "list", "keep").standardOutput.contains("h2")
                #expect(reserved == (point == .hostSaved), "\(label): \(reserved)")
                guard reserved else { break }
                // hosts.json was written: the recovery brought dnsmasq's lists up to it.
                let files = DnsmasqFiles(runDirectory: world.runDirectory + "/keep", stateDirectory: world.stateDirectory + "/networks/keep")
                let lists = [files.dhcpHostsFile, files.addnHostsFile].compactMap(FileSystem.readIfPresent).joined()
                #expect(lists.contains("h2"), "\(label): \(lists)")
                try world.ok("host", "rm", "keep", "h2")
            case .hostRemove:
                try world.ok("host", "add", "keep", "h3")
                try killed(world, point, "host", "rm", "keep", "h3")
                try world.ok("up", "other")
                #expect(try !world.ok("host", "list", "keep").standardOutput.contains("h3"), "\(label)")
                let files = DnsmasqFiles(runDirectory: world.runDirectory + "/keep", stateDirectory: world.stateDirectory + "/networks/keep")
                let lists = [files.dhcpHostsFile, files.addnHostsFile].compactMap(FileSystem.readIfPresent).joined()
                #expect(!lists.contains("h3"), "\(label): \(lists)")
            default:
                Issue.record("\(label): no command reaches it in this test")
            }
            try expectConverged(world, label, before)
        }
    }

    /// `list`, `show` and `doctor` only read: they name a killed command's pending change on
    /// standard error (stdout, and so --json, unchanged) until the next changing command finishes it.
    @Test func aPendingJournalIsNamedByTheReadingCommands() throws {
        let world = try VmnetWorld("fp")
        try world.ok("create", "keep")
        try killed(world, .downStopped, "down", "keep")
        let pending = "vmnet: a killed 'vmnet down' of keep is pending: the next vmnet command finishes it"
        for arguments in [["list"], ["list", "--json"], ["show", "keep"], ["doctor", "keep"], ["doctor", "--json"]] {
            let result = try world.vmnet(arguments)
            #expect(result.standardError.contains(pending), "\(arguments): \(result.standardError)")
            #expect(!result.standardOutput.contains("pending"), "\(arguments)")
        }
        try world.ok("up", "keep")
        #expect(!(try world.vmnet("list").standardError.contains("pending")))
    }

    /// A command killed while writing the journal leaves its temporary file and no journal:
    /// the next changing command removes it (seen left behind in random SIGKILLs).
    @Test func theJournalsOwnTemporaryFileIsSwept() throws {
        let world = try VmnetWorld("ft")
        try world.ok("create", "keep")
        let result = try world.vmnet(["down", "keep"], environment: ["VMNET_FAULT": "write." + Intent.fileName])
        #expect(result.status == 128 + SIGKILL || result.status == -SIGKILL, "\(result.status) \(result.standardError)")
        let temporaries = { FileSystem.list(world.stateDirectory).filter { $0.hasPrefix("." + Intent.fileName) && $0.hasSuffix(".tmp") } }
        #expect(temporaries().count == 1, "\(FileSystem.list(world.stateDirectory))")
        #expect(!FileSystem.exists(world.stateDirectory + "/" + Intent.fileName))
        try world.ok("down", "keep")
        #expect(temporaries().isEmpty, "\(FileSystem.list(world.stateDirectory))")
    }

    @Test func aRebootAndADamagedJournalConverge() throws {
        let (world, before) = try populatedWorld("fr")
        // A reboot: processes, links, the firewall table and the run directory are gone.
        for pid in try world.hostPids() where (FileSystem.readIfPresent("/proc/\(pid)/cmdline") ?? "").contains("--conf-file=" + world.runDirectory) {
            if let number = pid_t(pid) { kill(number, SIGKILL) }
        }
        for network in try world.networks() {
            let bridge = network["bridge"]?.stringValue ?? ""
            try world.inHost("ip", "link", "del", BridgeNamer.keeperPort(for: bridge).port)
            try world.inHost("ip", "link", "del", bridge)
        }
        try world.inHost("nft", "delete", "table", "inet", "vmnet")
        FileSystem.removeTree(world.runDirectory)
        try world.ok("up", "--all")
        try expectConverged(world, "reboot", before)

        // The run directory wiped while dnsmasq runs, then a down killed: only /proc names the
        // processes to stop, and up must not start a second dnsmasq next to them.
        FileSystem.removeTree(world.runDirectory)
        try killed(world, .downMarked, "down", "--all")
        try world.ok("up", "--all")
        try expectConverged(world, "run directory wiped", before)

        // A journal that cannot be read: the next command says so and cleans up from the records.
        let journal = world.stateDirectory + "/" + Intent.fileName
        let text = JSONCodec.serialize(Intent(.up, networks: nil).json)
        for damaged in [String(text.prefix(text.count / 2)), #"{"version": 1, "command": 7}"#, #"{"version": 9, "command": "up"}"#] {
            try FileSystem.writeAtomically(damaged, to: journal)
            let result = try world.ok("up", "--all")
            #expect(result.standardError.contains(journal), "\(damaged): \(result.standardError)")
            try expectConverged(world, "journal \(damaged)", before)
        }
    }

    @Test func aReadOnlyStateDirectoryFailsInOneLineAndChangesNothing() throws {
        let (world, _) = try populatedWorld("fo")
        // A read-only bind mount in a private mount namespace (never the machine's), held by a
        // sleeping process in the host's network namespace.
        let state = world.stateDirectory
        let ready = world.sandbox.directory + "/ro-ready"
        let script = "mount --bind \(state) \(state) && mount -o remount,bind,ro \(state) && touch \(ready) && exec sleep 600"
        let started = try world.sandbox.runner.run([
            "sh", "-c", "setsid ip netns exec \(world.host) unshare -m --propagation private sh -c '\(script)' </dev/null >/dev/null 2>&1 & echo $!",
        ]).requireSuccess("starting the mount namespace")
        let holder = try #require(pid_t(started.standardOutput.filter { !$0.isWhitespace }))
        defer {
            kill(holder, SIGKILL)
            var status: Int32 = 0
            waitpid(holder, &status, 0)
        }
        for _ in 0..<100 where !FileSystem.exists(ready) { usleep(50_000) }
        try #require(FileSystem.exists(ready))
        // Taken with the holder running: it counts among the namespace's processes.
        let footprint = try world.footprint()
        let assignments = world.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for arguments in [["create", "ro"], ["up", "--all"], ["down", "--all"], ["destroy", "other"], ["host", "add", "keep", "h3"]] {
            let result = try world.sandbox.runner.run(["nsenter", "--target", String(holder), "--mount", "--net", "env"] + assignments + [EndToEnd.binary] + arguments)
            #expect(!result.succeeded, "\(arguments) succeeded on a read-only state directory")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(arguments): \(result.standardError)")
        }
        #expect(try world.footprint() == footprint)
    }
}
