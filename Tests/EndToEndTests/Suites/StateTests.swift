import Glibc
import JSON
import Testing
import VmnetCore
import VmnetShell

@Suite("Damaged state stays with its own network, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct StateTests {
    private func file(_ world: VmnetWorld, _ network: String, _ name: String) -> String {
        world.stateDirectory + "/networks/\(network)/\(name)"
    }

    private func truncate(_ path: String) throws {
        let text = try FileSystem.read(path)
        try FileSystem.writeAtomically(String(text.prefix(text.count / 2)), to: path)
    }

    private func isRunning(_ pid: Int64?) -> Bool {
        guard let pid else { return false }
        return (FileSystem.readIfPresent("/proc/\(pid)/cmdline") ?? "").contains("dnsmasq")
    }

    @Test func aTruncatedRecordBreaksOnlyItsNetworkAndDestroyRemovesWhatIsLeft() throws {
        let world = try VmnetWorld("sb")
        for name in ["a", "b", "c"] { try world.ok("create", name) }
        let pidOfA = try world.network("a")["dnsmasq_pid"]?.intValue.map(Int64.init)
        #expect(isRunning(pidOfA))
        let keeper = BridgeNamer.keeperPort(for: "vmn-a")
        #expect(try world.links().contains(keeper.port))
        try truncate(file(world, "a", "network.json"))

        let table = try world.ok("list").standardOutput
        #expect(table.contains("broken") && table.contains("a: broken: \(file(world, "a", "network.json")):"), "\(table)")
        let listed = try world.networks()
        let a = try #require(listed.first { $0["name"] == "a" })
        #expect(a["state"] == "broken")
        #expect(a["problem"]?.stringValue?.hasPrefix(file(world, "a", "network.json") + ":") == true)
        #expect(listed.first { $0["name"] == "b" }?["state"] == "up")
        let shown = try world.vmnet("show", "a")
        #expect(shown.status == 1 && shown.standardError.contains("network.json:") && shown.standardError.contains("vmnet destroy a"))
        #expect(shown.standardError.split(separator: "\n").count == 1)
        let upAll = try world.vmnet("up", "--all")
        #expect(upAll.succeeded && upAll.standardError.contains("skipping network 'a'"), "\(upAll.standardError)")

        try world.ok("destroy", "b")
        #expect(try world.network("c")["state"] == "up")
        #expect(isRunning(pidOfA))

        try world.ok("destroy", "a")
        #expect(!isRunning(pidOfA))
        let links = try world.links()
        #expect(!links.contains("vmn-a:") && !links.contains(keeper.port), "\(links)")
        #expect(!FileSystem.exists(world.stateDirectory + "/networks/a") && !FileSystem.exists(world.runDirectory + "/a"))
        let table2 = try world.nftTable() ?? ""
        #expect(!table2.contains("\"vmn-a\"") && table2.contains("\"vmn-c\""), "\(table2)")
        #expect(try world.network("c")["state"] == "up")

        try world.ok("create", "a")
        #expect(try world.bridge("a") == "vmn-a")
        let shownA = try world.network("a")
        #expect(shownA["state"] == "up", "\(JSONCodec.serialize(shownA))")
    }

    @Test func aHostsFileOfTheWrongShapeIsRefusedAndKept() throws {
        let world = try VmnetWorld("sh")
        try world.ok("create", "n", "--no-start")
        let hosts = file(world, "n", "hosts.json")
        let staticStart = try #require(try world.network("n")["static_range"]?["start"]?.stringValue)
        for (text, phrase) in [
            (#"{"h9":{}}"#, "hosts.json:1: h9: unknown key"),
            ("[\n  {\"name\": \"a\", \"mac\": \"52:54:00:00:00:01\", \"ip\": \"10.0.0.2\"},\n  {\"name\": \"b\"}\n]\n", "hosts.json:3: hosts[1].mac: missing"),
            ("{\"version\": 7, \"hosts\": []}", "hosts.json:1: version: version 7 was written by a newer vmnet"),
        ] {
            try FileSystem.writeAtomically(text, to: hosts)
            for arguments in [["host", "add", "n", "vm"], ["host", "list", "n"], ["leases", "n"]] {
                let result = try world.vmnet(arguments)
                #expect(result.status == 1, "\(arguments): \(result.standardError)")
                #expect(result.standardError.contains(phrase), "\(arguments): \(result.standardError)")
                #expect(result.standardError.split(separator: "\n").count == 1)
            }
            #expect(FileSystem.readIfPresent(hosts) == text)
        }
        // The bare list of the first versions is read and written back versioned.
        try FileSystem.writeAtomically(#"[{"name": "old", "mac": "52:54:00:00:00:01", "ip": "\#(staticStart)"}]"#, to: hosts)
        try world.ok("host", "add", "n", "vm")
        let names = try JSONCodec.parse(try world.ok("host", "list", "n", "--json").standardOutput, source: "list").arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names?.sorted() == ["old", "vm"])
        #expect(try JSONCodec.parse(try FileSystem.read(hosts), source: "hosts")["version"] == JSONValue(HostReservationsFile.formatVersion))
    }

    @Test func aRecordOfAFutureVersionIsRefused() throws {
        let world = try VmnetWorld("sv")
        try world.ok("create", "n", "--no-start")
        let record = file(world, "n", "network.json")
        let text = try FileSystem.read(record)
        try FileSystem.writeAtomically(text.replacing(#""version": \#(NetworkRecordCoding.formatVersion)"#, with: #""version": 99"#), to: record)
        let result = try world.vmnet("up", "n")
        #expect(result.status == 1)
        #expect(result.standardError.contains("network.json:2: version: version 99 was written by a newer vmnet"), "\(result.standardError)")
        #expect(try world.networks().first?["state"] == "broken")
    }

    @Test func aCorruptRuntimesFileRefusesDestroyAndUninstall() throws {
        let world = try VmnetWorld("sr")
        let podman = world.sandbox.directory + "/pn"
        try world.ok("create", "n", "--no-start")
        try world.vmnet(["install", "n", "--podman"], environment: ["VMNET_PODMAN_DIR": podman]).requireSuccess("install")
        try truncate(file(world, "n", "runtimes.json"))
        for arguments in [["destroy", "n"], ["uninstall", "n"]] {
            let result = try world.vmnet(arguments, environment: ["VMNET_PODMAN_DIR": podman])
            #expect(result.status == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("runtimes.json:") && result.standardError.contains("restore the file"), "\(result.standardError)")
        }
        #expect(FileSystem.exists(podman + "/n.json"))
        #expect(FileSystem.exists(file(world, "n", "network.json")))
        // With the file restored by hand (here: the files it named removed, then the record), destroy works.
        FileSystem.remove(podman + "/n.json")
        FileSystem.remove(file(world, "n", "runtimes.json"))
        try world.ok("destroy", "n")
    }

    @Test func showAndUninstallSayWhatReallyHappenedToRuntimeFiles() throws {
        let world = try VmnetWorld("sf")
        let environment = ["VMNET_PODMAN_DIR": world.sandbox.directory + "/pn", "VMNET_CNI_DIR": world.sandbox.directory + "/cni"]
        try world.ok("create", "n", "--no-start")
        try world.vmnet(["install", "n", "--podman", "--cni"], environment: environment).requireSuccess("install")
        FileSystem.remove(environment["VMNET_PODMAN_DIR"]! + "/n.json")
        try FileSystem.writeAtomically("{}\n", to: environment["VMNET_CNI_DIR"]! + "/n.conflist")
        let shown = try JSONCodec.parse(try world.vmnet(["show", "n", "--json"], environment: environment).standardOutput, source: "show")
        let states = (shown["runtimes"]?.arrayValue ?? []).map { "\($0["kind"]?.stringValue ?? ""):\($0["state"]?.stringValue ?? "")" }
        #expect(states == ["podman:missing", "cni:changed"])
        let text = try world.vmnet(["show", "n"], environment: environment).standardOutput
        #expect(text.contains("n.json (missing") && text.contains("n.conflist (changed by someone else)"), "\(text)")
        let removed = try world.vmnet(["uninstall", "n"], environment: environment)
        #expect(removed.standardOutput.contains("podman: \(environment["VMNET_PODMAN_DIR"]!)/n.json was already missing"), "\(removed.standardOutput)")
        #expect(removed.standardOutput.contains("cni: removed \(environment["VMNET_CNI_DIR"]!)/n.conflist"))
    }

    /// libvirt's test driver comes with a network named "default" (bridge virbr0): vmnet must
    /// neither record it as its own nor undefine it.
    @Test func aForeignLibvirtNetworkIsNeverTakenOver() throws {
        try #require(ExecutableLocator.find("virsh") != nil, "virsh is missing; run scripts/install-deps --test")
        let world = try VmnetWorld("sl")
        let environment = ["VMNET_LIBVIRT_URI": "test:///default"]
        try world.ok("create", "default", "--no-start")
        let refused = try world.vmnet(["install", "default", "--libvirt"], environment: environment)
        #expect(refused.status == 4 && refused.standardError.contains("not vmnet's"), "\(refused.standardError)")
        let shown = try world.network("default")
        #expect(shown["installed"]?["libvirt"]?["defined"] == .bool(false))
        let uninstalled = try world.vmnet(["uninstall", "default"], environment: environment)
        #expect(uninstalled.standardOutput.contains("never defined by vmnet; left libvirt alone"), "\(uninstalled.standardOutput)")
        // A record claiming it (an older vmnet's mistake): the UUID and bridge do not match.
        try FileSystem.writeAtomically("""
            {"version": 1, "libvirt": {"uri": "test:///default", "xml": "\(file(world, "default", "libvirt-network.xml"))", "defined": true,
             "uuid": "00000000-0000-0000-0000-000000000001", "bridge": "vmn-default"}}
            """, to: file(world, "default", "runtimes.json"))
        let left = try world.vmnet(["uninstall", "default"], environment: environment)
        #expect(left.standardOutput.contains("left network 'default' alone"), "\(left.standardOutput)")

        // Its own network: defined, with the UUID and bridge recorded. The test driver forgets
        // it when virsh exits, so uninstall finds it gone and says so.
        try world.ok("create", "virt", "--no-start")
        try world.vmnet(["install", "virt", "--libvirt"], environment: environment).requireSuccess("install")
        let libvirt = try world.network("virt")["installed"]?["libvirt"]
        #expect(libvirt?["defined"] == .bool(true) && libvirt?["bridge"] == "vmn-virt")
        #expect(libvirt?["uuid"]?.stringValue?.count == 36, "\(String(describing: libvirt))")
        let gone = try world.vmnet(["uninstall", "virt"], environment: environment)
        #expect(gone.standardOutput.contains("libvirt: network 'virt' was already gone"), "\(gone.standardOutput)")
    }

    @Test func leasesMarkNamesDnsmasqDoesNotPublish() throws {
        let world = try VmnetWorld("sq")
        try world.ok("create", "n")
        try world.ok("host", "add", "n", "h1")
        _ = try world.leasedClient(on: "n", hostname: "h1")
        _ = try world.leasedClient(on: "n", hostname: "twin")
        _ = try world.leasedClient(on: "n", hostname: "twin")
        // DHCPv4 names: the reservation's IPv6 address is a row of its own.
        let entries = (try JSONCodec.parse(try world.ok("leases", "n", "--json").standardOutput, source: "leases").arrayValue ?? [])
            .filter { $0["family"] == "ipv4" }
        #expect(entries.filter { $0["hostname"] == "h1" }.count == 1)
        #expect(entries.filter { $0["hostname"] == "twin" }.count == 1)
        let marked = entries.filter { $0["requested_name"] == "h1" }
        #expect(marked.count == 1 && marked.first?["note"] == "name taken by reservation" && marked.first?["source"] == "dhcp", "\(entries)")
        #expect(try world.ok("leases", "n").standardOutput.contains("- (h1: name taken by reservation)"))

        // An unreadable lease file is an error, a missing one is empty.
        try world.ok("create", "quiet", "--no-start")
        #expect(try world.ok("leases", "quiet").standardError.contains("no leases"))
        try FileSystem.makeDirectories(file(world, "quiet", "leases"))
        let unreadable = try world.vmnet("leases", "quiet")
        #expect(unreadable.status == 1 && unreadable.standardError.contains("leases: it is a directory"), "\(unreadable.standardError)")
        #expect(unreadable.standardError.split(separator: "\n").count == 1)
    }
}
