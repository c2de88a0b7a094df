import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// `vmnet doctor`: every check is broken alone and must be named (fail, exit 1), `show`
/// must say degraded, and `up` must repair what it can.
@Suite("Doctor, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct DoctorTests {
    func doctor(_ world: VmnetWorld, _ name: String = "web") throws -> (status: Int32, checks: [String: String], details: [String: String]) {
        try world.doctor(name)
    }

    /// The checks that did not pass.
    func failing(_ world: VmnetWorld, _ name: String = "web") throws -> [String] {
        try doctor(world, name).checks.filter { $0.value != "ok" }.keys.sorted()
    }

    /// Breaks one thing, sees doctor fail exactly that check and show say degraded, then
    /// (when `repairs`) sees `up` put it right.
    func breakAndRepair(_ world: VmnetWorld, _ check: String, alsoFailing: [String] = [], repairs: Bool = true, _ breakIt: () throws -> Void) throws {
        try breakIt()
        let broken = try doctor(world)
        #expect(broken.status == 1, "\(check): doctor exit \(broken.status)")
        #expect(try failing(world) == [check] + alsoFailing, "breaking \(check)")
        // For people: the broken check under its network, with the fix, within 100 columns.
        let text = try world.vmnet("doctor", "web").standardOutput
        #expect(text.hasPrefix("web  fail  ") && text.contains("\n  fail  \(check)\n") && text.contains("\n        fix: "), "\(check): \(text)")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= DoctorReport.width }, "\(check): \(text)")
        let shown = try world.network("web")
        #expect(shown["state"]?.stringValue == "degraded", "\(check)")
        #expect(shown["problems"]?.arrayValue?.isEmpty == false, "\(check)")
        guard repairs else { return }
        try world.ok("up", "web")
        #expect(try failing(world) == [], "after up, \(check)")
        #expect(try world.network("web")["state"]?.stringValue == "up")
    }

    @Test func eachBrokenPartIsNamedAndUpRepairsIt() throws {
        let world = try VmnetWorld("dr")
        try world.ok("create", "web")
        let healthy = try world.vmnet("doctor")
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
        // A healthy network is one line; --verbose lists every check.
        #expect(healthy.standardOutput.hasPrefix("web  ok    ") && healthy.standardOutput.split(separator: "\n").count == 1, "\(healthy.standardOutput)")
        let verbose = try world.vmnet("doctor", "--verbose").standardOutput
        #expect(verbose.contains("  ok    bridge\n") && verbose.split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(verbose)")
        let all = try doctor(world)
        #expect(all.status == 0)
        #expect(!all.checks.isEmpty && all.checks.values.allSatisfy { $0 == "ok" }, "\(all.checks)")
        #expect(all.details["ports"]?.contains("vmp-") == true)

        // `up` of a healthy network updates the table in place: a rebuild would give it a new handle.
        let handle = try world.inHost("nft", "-a", "list", "table", "inet", "vmnet").standardOutput.split(separator: "\n").first
        try world.ok("up", "web")
        #expect(try world.inHost("nft", "-a", "list", "table", "inet", "vmnet").standardOutput.split(separator: "\n").first == handle)

        let gateway = try world.gateway("web")
        // The kernel drops a link's IPv6 addresses when it goes down.
        try breakAndRepair(world, "bridge-up", alsoFailing: ["gateway6-address"]) { try world.inHost("ip", "link", "set", "vmn-web", "down").requireSuccess("setting the bridge down") }
        try breakAndRepair(world, "gateway-address") {
            try world.inHost("ip", "address", "del", "\(gateway)/24", "dev", "vmn-web").requireSuccess("removing the gateway")
        }
        let gateway6 = try #require(try world.gateway6("web"))
        try breakAndRepair(world, "gateway6-address") {
            try world.inHost("ip", "-6", "address", "del", "\(gateway6)/64", "dev", "vmn-web").requireSuccess("removing the IPv6 gateway")
        }
        try breakAndRepair(world, "dnsmasq") {
            let pidFile = world.runDirectory + "/web/dnsmasq.pid"
            let pid = try #require(FileSystem.readIfPresent(pidFile).flatMap { pid_t($0.filter { !$0.isWhitespace }) })
            kill(pid, SIGTERM)
            for _ in 0..<2000 where ProcessTable.isRunning(pid) { usleep(1000) }
        }
        try breakAndRepair(world, "firewall") {
            try world.inHost("nft", "delete", "element", "inet", "vmnet", "nat_bridges", "{ \"vmn-web\" }").requireSuccess("deleting an element")
        }
        try breakAndRepair(world, "ip-forward") { try world.inHost("sysctl", "-q", "-w", "net.ipv4.ip_forward=0").requireSuccess("turning forwarding off") }
        try breakAndRepair(world, "bridge") { try world.inHost("ip", "link", "del", "vmn-web").requireSuccess("deleting the bridge") }
        #expect(try doctor(world).details["dnsmasq-listening"]?.contains("listens on") == true)

        // dnsmasq re-reads its host lists as nobody: one it cannot read is named with the fix.
        let hostsFile = world.stateDirectory + "/networks/web/dhcp-hosts"
        try breakAndRepair(world, "dnsmasq-files", repairs: false) {
            chown(hostsFile, 0, 0)
            chmod(hostsFile, 0o600)
        }
        #expect(try doctor(world).details["dnsmasq-files"]?.contains("nobody cannot read \(hostsFile) (mode 0600") == true)
        chmod(hostsFile, 0o644)
        #expect(try failing(world) == [])

        // The same client reaches the uplink after all of it.
        let (client, _) = try world.leasedClient(on: "web", hostname: "after")
        #expect(try world.sandbox.ping(from: client, Sandbox.uplinkAddress))
    }

    @Test func aFlushedTableIsAFailureAndUpRestoresNAT() throws {
        let world = try VmnetWorld("df")
        try world.ok("create", "web")
        try world.ok("create", "lab", "--profile", "host-only")
        let table = try #require(try world.nftTable())
        let (client, _) = try world.leasedClient(on: "web", hostname: "guest")
        try world.inHost("nft", "flush", "table", "inet", "vmnet").requireSuccess("flushing vmnet's table")
        let broken = try doctor(world)
        #expect(broken.status == 1)
        #expect(broken.checks["firewall"] == "fail")
        #expect(broken.details["firewall"]?.contains("chain postrouting has 0 of") == true, "\(broken.details)")
        #expect(try world.network("web")["state"]?.stringValue == "degraded")
        #expect(try world.network("web")["problems"]?.arrayValue?.contains("firewall rules are missing") == true)
        let listed = try world.networks().map { $0["state"]?.stringValue ?? "?" }
        #expect(listed == ["degraded", "degraded"])
        try world.ok("up", "web")
        #expect(try world.nftTable() == table)
        #expect(try world.vmnet("doctor").status == 0)
        #expect(try world.networks().map { $0["state"]?.stringValue ?? "?" } == ["up", "up"])
        #expect(try world.sandbox.ping(from: client, Sandbox.uplinkAddress))
    }

    @Test func foreignServersCollisionsAndRuntimeFilesAreNamed() throws {
        let world = try VmnetWorld("dc")
        let python = "/usr/bin/python3"
        try #require(FileSystem.exists(python), "python3 is missing: run scripts/install-deps --test")
        try world.ok("create", "web")
        let subnet = try #require(IPv4Subnet(try world.network("web")["subnet"]?.stringValue ?? ""))

        // A DHCP server on 0.0.0.0:67 that is not vmnet's (SO_REUSEADDR, as a careless one would).
        let pidFile = world.sandbox.directory + "/listener.pid"
        let script = """
            import os, socket, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", 67))
            if os.fork():
                os._exit(0)
            os.setsid()
            null = os.open("/dev/null", os.O_RDWR)
            for fd in (0, 1, 2): os.dup2(null, fd)
            open("\(pidFile)", "w").write(str(os.getpid()))
            time.sleep(600)
            """
        try world.inHost(python, "-c", script).requireSuccess("starting a foreign listener")
        var listener: pid_t?
        for _ in 0..<2000 where listener == nil {
            listener = FileSystem.readIfPresent(pidFile).flatMap { pid_t($0) }
            if listener == nil { usleep(1000) }
        }
        let pid = try #require(listener)
        defer { kill(pid, SIGKILL) }
        let foreign = try doctor(world)
        #expect(foreign.status == 1)
        #expect(try failing(world) == ["foreign-dhcp-dns"])
        #expect(foreign.details["foreign-dhcp-dns"]?.contains("0.0.0.0:67/udp is held by python3, pid \(pid)") == true, "\(foreign.details)")
        #expect(try world.network("web")["state"]?.stringValue == "degraded")
        kill(pid, SIGTERM)
        for _ in 0..<2000 where ProcessTable.isRunning(pid) { usleep(1000) }
        #expect(try failing(world) == [])

        // Another interface takes an address inside the subnet: doctor names it, up refuses.
        let inside = IPv4Address(subnet.network.value + 77)
        try world.inHost("ip", "link", "add", "dxa", "type", "veth", "peer", "name", "dxb").requireSuccess("adding a link")
        try world.inHost("ip", "address", "add", "\(inside)/\(subnet.prefixLength)", "dev", "dxa").requireSuccess("adding the address")
        let taken = try doctor(world)
        #expect(taken.status == 1)
        #expect(try failing(world) == ["subnet"])
        #expect(taken.details["subnet"]?.contains("address \(inside)/\(subnet.prefixLength) on dxa") == true)
        #expect(try world.network("web")["state"]?.stringValue == "degraded")
        let refused = try world.vmnet("up", "web")
        #expect(refused.status == 4)
        #expect(refused.standardError.contains("dxa"), "\(refused.standardError)")
        try world.inHost("ip", "link", "del", "dxa").requireSuccess("deleting the link")
        try world.ok("up", "web")
        #expect(try failing(world) == [])
        // A route into part of the subnet through another interface collides as well.
        let half = "\(subnet.network)/\(subnet.prefixLength + 1)"
        try world.inHost("ip", "route", "add", half, "via", Sandbox.uplinkAddress.description).requireSuccess("adding a route")
        #expect(try failing(world) == ["subnet"])
        #expect(try doctor(world).details["subnet"]?.contains("route \(half) dev h-up") == true)
        #expect(try world.vmnet("up", "web").status == 4)
        try world.inHost("ip", "route", "del", half).requireSuccess("deleting the route")
        try world.ok("up", "web")

        // A runtime file someone deleted: named, and install puts it back.
        let podman = ["VMNET_PODMAN_DIR": world.sandbox.directory + "/podman"]
        #expect(try world.vmnet(["install", "web", "--podman"], environment: podman).status == 0)
        #expect(try doctor(world).details["runtime-files"]?.contains("podman") == true)
        FileSystem.remove(world.sandbox.directory + "/podman/web.json")
        #expect(try doctor(world).status == 1)
        #expect(try failing(world) == ["runtime-files"])
        #expect(try world.vmnet(["install", "web", "--podman"], environment: podman).status == 0)
        #expect(try doctor(world).status == 0)
    }

    @Test func iptablesNetworksHaveTheirChainsAndJumpsChecked() throws {
        let world = try VmnetWorld("di")
        try world.ok("create", "web", "--firewall", "iptables")
        #expect(try doctor(world).status == 0)
        try breakAndRepair(world, "firewall") {
            try world.inHost("iptables", "-w", "-D", "FORWARD", "-j", "VMNET-FORWARD").requireSuccess("deleting vmnet's jump")
        }
        try breakAndRepair(world, "firewall") {
            try world.inHost("iptables", "-w", "-t", "nat", "-F", "VMNET-POSTROUTING").requireSuccess("flushing vmnet's masquerade")
        }
        #expect(try doctor(world).details["firewall"] == "vmnet's iptables chains and jumps are in place")
    }
}
