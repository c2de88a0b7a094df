import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A project file applied with the real binary: built, re-applied without a touch, edited in
/// place with leases kept, refused where it would take over a network made otherwise.
@Suite("vmnet apply and plan, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ProjectTests {
    private func write(_ world: VmnetWorld, _ text: String, name: String = "vmnet.json") throws -> String {
        let directory = world.sandbox.directory + "/shop"
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(text, to: directory + "/" + name)
        return directory + "/" + name
    }

    private static func file(leaseTime: String, lab: Bool, txt: Bool = false) -> String {
        """
        {"version": 1, "project": "shop",
         "networks": {
           "front": {"profile": "nat", "lease_time": "\(leaseTime)",
                     "hosts": {"db": {"mac": "52:54:00:00:00:10"}, "web": {}},
                     "forwards": [{"port": 8080, "target": "web", "target_port": 80}],
                     "dhcp": {"search": ["corp.example"]},
                     "dns": [{"name": "www", "type": "CNAME", "value": "db"}\(txt ? #", {"name": "info", "type": "TXT", "value": "v2"}"# : "")]}\(lab ? ",\n   \"lab\": {\"profile\": \"host-only\", \"ipv6\": false}" : "")}}
        """
    }

    private func dnsmasqPid(_ world: VmnetWorld, _ name: String) throws -> Int? { try world.network(name)["dnsmasq_pid"]?.intValue }

    @Test func applyBuildsASecondApplyChangesNothingAndAnEditKeepsLeases() throws {
        let world = try VmnetWorld("project")
        let path = try write(world, Self.file(leaseTime: "1h", lab: true))
        let plan = try world.vmnet("plan", "-f", path)
        #expect(plan.status == 10, "\(plan.standardOutput)\(plan.standardError)")
        #expect(plan.standardOutput.hasPrefix("ACTION") && plan.standardOutput.contains("create  shop-front  profile nat"), "\(plan.standardOutput)")
        #expect(try world.footprint().contains("networks=\n"), "plan touched something")

        let applied = try world.ok("apply", "-f", path).standardOutput
        #expect(applied.contains("create shop-front: profile nat") && applied.contains("up shop-lab"), "\(applied)")
        let front = try world.network("shop-front")
        #expect(front["project"]?["file"]?.stringValue == path && front["project"]?["name"]?.stringValue == "shop")
        #expect(try world.network("shop-lab")["subnet6"]?.isNull != false)

        // The reservation reaches a real client; the CNAME resolves to it.
        let (client, lease) = try world.leasedClient(on: "shop-front", hostname: "db", mac: "52:54:00:00:00:10")
        let db = try #require(try world.vmnet("host", "list", "shop-front", "--json").standardOutput.split(separator: "\"").first { $0.hasPrefix("10.") })
        #expect(lease.address.description == db && lease.leaseTime == 3600)
        #expect(try world.sandbox.resolve(from: client, "www.shop-front.vmnet", server: try world.gateway("shop-front"))?.description == String(db))

        // Unchanged file: nothing touched, byte for byte.
        let pid = try dnsmasqPid(world, "shop-front")
        let rules = try world.nftTable()
        let config = FileSystem.readIfPresent(world.runDirectory + "/shop-front/dnsmasq.conf")
        let again = try world.vmnet("plan", "-f", path)
        #expect(again.status == 0 && again.standardOutput == "\(path): nothing to change\n", "\(again.standardOutput)")
        #expect(try world.ok("apply", "-f", path).standardOutput == "\(path): nothing to change\n")
        #expect(try dnsmasqPid(world, "shop-front") == pid && (try world.nftTable()) == rules)
        #expect(FileSystem.readIfPresent(world.runDirectory + "/shop-front/dnsmasq.conf") == config)

        // An edit: lease time, a TXT record, lab gone. plan shows it, apply does it in place.
        try FileSystem.writeAtomically(Self.file(leaseTime: "10m", lab: false, txt: true), to: path)
        let edit = try world.vmnet("plan", "-f", path, "--json")
        #expect(edit.status == 10)
        let changes = try JSONCodec.parse(edit.standardOutput, source: "plan")["changes"]?.arrayValue ?? []
        #expect(changes.compactMap { $0["action"]?.stringValue } == ["change", "destroy"], "\(edit.standardOutput)")
        let edited = try world.ok("apply", "-f", path).standardOutput
        #expect(edited.contains("change shop-front: lease_time: 1h -> 10m; dns_records: www CNAME db -> www CNAME db;info TXT v2 (dnsmasq restarted (leases kept))"), "\(edited)")
        #expect(edited.contains("destroy shop-lab: no longer in the file"), "\(edited)")
        #expect(try world.vmnet("show", "shop-lab").status == 3)
        let renewed = try #require(try world.sandbox.requestLease(in: client, hostname: "db"))
        #expect(renewed.address == lease.address && renewed.leaseTime == 600)

        // down -f and up -f act on the file's networks; destroy -f removes them, twice is fine.
        // The client is still attached: down refuses as for a named network, unless --force.
        try world.expectRefused([(["down", "-f", path], 4, "guests are attached")])
        #expect(try world.ok("down", "--force", "-f", path).standardOutput == "down: shop-front\n")
        #expect(try world.ok("up", "-f", path).standardOutput.hasPrefix("up: shop-front"))
        #expect(try world.ok("destroy", "-f", path).standardOutput == "destroyed: shop-front\n")
        let twice = try world.ok("destroy", "-f", path)
        #expect(twice.standardError.contains("no network of it exists: nothing to destroy"))
        #expect(try world.footprint().contains("networks=\n"))
    }

    @Test func aNetworkMadeOtherwiseABadFileAndAFailedStepChangeNothing() throws {
        let world = try VmnetWorld("project-refuse")
        try world.ok("create", "shop-front")
        let path = try write(world, Self.file(leaseTime: "1h", lab: false))
        let bad = try write(world, "{\"version\": 1, \"project\": \"shop\",\n \"networks\": {\"front\": {\"mtu\": 1500, \"colour\": \"red\"}}}", name: "bad.json")
        let hostile = try write(world, #"{"version": 1, "project": "shop", "networks": {"front": {"dhcp": {"search": ["a.example\nserver=192.0.2.1"]}}}}"#, name: "hostile.json")
        let before = try world.footprint()
        try world.expectRefused([
            (["apply", "-f", path], 4, "network 'shop-front' exists and was made by hand"),
            (["plan", "-f", path], 4, "network 'shop-front' exists and was made by hand"),
            (["apply", "-f", bad], 2, "bad.json:2: networks.front.colour: unknown key"),
            (["apply", "-f", hostile], 2, "networks.front.dhcp.search: setting dhcp_search: \"a.example\\nserver=192.0.2.1\" is not allowed"),
            (["apply", "-f", world.sandbox.directory + "/none.json"], 3, "no such file: write one with 'vmnet init'"),
            (["down", "-f", path], 4, "exists and was made by hand"),
            (["destroy", "-f", path], 4, "exists and was made by hand"),
        ])
        #expect(try world.footprint() == before)
        try world.ok("destroy", "shop-front")

        // The second network cannot be made (its subnet is the first one's): the first, made by
        // the same apply, is destroyed again.
        let clash = try write(world, """
            {"version": 1, "project": "shop", "networks": {
              "a": {"subnet": "10.140.99.0/24"}, "b": {"subnet": "10.140.99.0/24"}}}
            """, name: "clash.json")
        let empty = try world.footprint()
        let failed = try world.vmnet("apply", "-f", clash)
        #expect(failed.status == 4, "\(failed.standardError)")
        #expect(failed.standardError.split(separator: "\n").count == 1 && failed.standardError.contains("10.140.99.0/24"), "\(failed.standardError)")
        #expect(try world.footprint() == empty)
    }

    @Test func runtimeInstallsFollowTheFile() throws {
        let world = try VmnetWorld("project-install")
        let podman = world.sandbox.directory + "/podman-networks"
        let cni = world.sandbox.directory + "/cni"
        let environment = ["VMNET_PODMAN_DIR": podman, "VMNET_CNI_DIR": cni]
        let path = try write(world, #"{"version": 1, "project": "shop", "networks": {"apps": {"install": ["podman", "cni"]}}}"#)
        #expect(try world.vmnet(["apply", "-f", path], environment: environment).status == 0)
        #expect(FileSystem.exists(podman + "/shop-apps.json") && FileSystem.list(cni).contains { $0.contains("shop-apps") })
        try FileSystem.writeAtomically(#"{"version": 1, "project": "shop", "networks": {"apps": {"install": ["podman"]}}}"#, to: path)
        let output = try world.vmnet(["apply", "-f", path], environment: environment)
        #expect(output.status == 0 && output.standardOutput.contains("uninstall shop-apps: cni"), "\(output.standardOutput)\(output.standardError)")
        #expect(FileSystem.exists(podman + "/shop-apps.json") && !FileSystem.list(cni).contains { $0.contains("shop-apps") })
        #expect(try world.vmnet(["plan", "-f", path], environment: environment).status == 0)
        // autostart from the file: `up --all` (the unit at boot) leaves the network down.
        try FileSystem.writeAtomically(#"{"version": 1, "project": "shop", "networks": {"apps": {"install": ["podman"], "autostart": false}}}"#, to: path)
        #expect(try world.vmnet(["apply", "-f", path], environment: environment).standardOutput.contains("autostart: true -> false (recorded)"))
        try world.ok("down", "-f", path)
        try world.ok("up", "--all")
        #expect(try world.network("shop-apps")["state"]?.stringValue == "down")
        #expect(try world.vmnet(["destroy", "-f", path], environment: environment).status == 0)
        #expect(!FileSystem.exists(podman + "/shop-apps.json"))
    }

    @Test func aBootFileOnAnotherServerReachesAClient() throws {
        let world = try VmnetWorld("project-boot")
        let path = try write(world, #"{"version": 1, "project": "shop", "networks": {"pxe": {"dhcp": {"boot": {"filename": "pxelinux.0", "next_server": "192.0.2.69"}}}}}"#)
        try world.ok("apply", "-f", path)
        let (_, lease) = try world.leasedClient(on: "shop-pxe", hostname: "m1")
        #expect(lease.fields["boot_file"] == "pxelinux.0" && lease.fields["siaddr"] == "192.0.2.69", "\(lease.fields)")
        try world.ok("destroy", "-f", path)
    }

    @Test func initWritesAnExampleThatApplies() throws {
        let world = try VmnetWorld("project-init")
        let path = world.sandbox.directory + "/demo/vmnet.json"
        try FileSystem.makeDirectories(world.sandbox.directory + "/demo")
        #expect(try world.ok("init", "-f", path, "--name", "demo").standardOutput.contains("wrote \(path) (project 'demo')"))
        try world.expectRefused([(["init", "-f", path], 4, "it exists")])
        #expect(try world.vmnet("plan", "-f", path).status == 10)
        try world.ok("apply", "-f", path)
        #expect(try world.network("demo-sandbox")["host_access"]?.stringValue == "services")
        #expect(try world.vmnet("plan", "-f", path).status == 0)
        try world.ok("destroy", "-f", path)
    }
}
