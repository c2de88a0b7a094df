import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

@Suite("Port forwards, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ForwardTests {
    static let host = Sandbox.hostUplinkAddress

    /// A guest with the reservation `name`'s MAC and address.
    static func reservedGuest(_ world: VmnetWorld, network: String, name: String) throws -> (namespace: String, ip: IPv4Address) {
        let reservation = try JSONCodec.parse(try world.ok("host", "add", network, name, "--json").standardOutput, source: "host add")
        let mac = try #require(reservation["mac"]?.stringValue)
        let (guest, lease) = try world.leasedClient(on: network, hostname: name, mac: mac)
        #expect(lease.address.description == reservation["ip"]?.stringValue)
        return (guest, lease.address)
    }

    /// busybox httpd serving `text` on `port` in `namespace`.
    static func startHTTPD(in namespace: String, port: Int, text: String, world: VmnetWorld) throws {
        let directory = world.sandbox.directory + "/www-\(namespace)-\(port)"
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(text, to: directory + "/index.html")
        try world.sandbox.run(in: namespace, ["busybox", "httpd", "-p", "\(port)", "-h", directory]).requireSuccess("starting busybox httpd")
    }

    /// The page at ADDRESS:PORT, fetched from `namespace` by curl; nil when none came.
    static func fetch(from namespace: String, _ address: IPv4Address, _ port: Int, world: VmnetWorld) throws -> String? {
        let result = try world.sandbox.run(in: namespace, ["curl", "-s", "-m", "2", "http://\(address):\(port)/"])
        return result.succeeded ? result.standardOutput : nil
    }

    static func forwards(_ world: VmnetWorld, _ network: String) throws -> [JSONValue] {
        try JSONCodec.parse(try world.ok("forward", "list", network, "--json").standardOutput, source: "forward list").arrayValue ?? []
    }

    /// Reattaches the clients' ports to the bridge `up` made again (down deleted the old one).
    static func reattachClients(_ world: VmnetWorld, bridge: String) throws {
        for line in try world.links().split(separator: "\n") {
            let name = line.split(separator: " ").dropFirst().first.map { String($0.split(separator: "@")[0].dropLast(0)) } ?? ""
            let port = name.hasSuffix(":") ? String(name.dropLast()) : name
            guard port.hasPrefix("p"), !line.contains(" master ") else { continue }
            try world.inHost("ip", "link", "set", port, "master", bridge).requireSuccess("reattaching \(port)")
        }
    }

    @Test(arguments: ["nftables", "iptables"])
    func aForwardReachesTheGuestFromOutsideTheHostAndANeighbour(firewall: String) throws {
        let world = try VmnetWorld(firewall == "nftables" ? "pfn" : "pfi")
        try world.ok("create", "fw", "--firewall", firewall)
        let (web, webIP) = try Self.reservedGuest(world, network: "fw", name: "web")
        try Traffic.startEcho(in: web, sandbox: world.sandbox)
        try Self.startHTTPD(in: web, port: 80, text: "hello from web\n", world: world)
        try world.ok("forward", "add", "fw", "8080", "web:80")
        try world.ok("forward", "add", "fw", "7000/udp", "web:\(Traffic.port)")
        try world.ok("forward", "add", "fw", "\(Self.host):7001", "\(webIP):\(Traffic.port)")

        #expect(try Self.fetch(from: world.uplink, Self.host, 8080, world: world) == "hello from web\n")
        #expect(try Traffic.udp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 7000))
        #expect(try Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 7001))
        // Only what is forwarded: the UDP forward is no TCP one.
        #expect(try !Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 7000))
        // The host itself, to its own address.
        #expect(try Self.fetch(from: world.host, Self.host, 8080, world: world) == "hello from web\n")
        // A neighbour guest, through the host's address (hairpin).
        let (neighbour, _) = try world.leasedClient(on: "fw", hostname: "neighbour")
        #expect(try Self.fetch(from: neighbour, Self.host, 8080, world: world) == "hello from web\n")
        #expect(try Traffic.udp(from: neighbour, to: Self.host, sandbox: world.sandbox, port: 7000))

        // A guest of another (isolated) vmnet network stays out: isolation is unchanged.
        try world.ok("create", "other", "--firewall", firewall)
        let (stranger, _) = try world.leasedClient(on: "other", hostname: "stranger")
        #expect(try Self.fetch(from: stranger, Self.host, 8080, world: world) == nil)
        #expect(try world.sandbox.ping(from: stranger, Sandbox.uplinkAddress))

        let list = try Self.forwards(world, "fw")
        #expect(list.count == 3)
        let http = try #require(list.first { $0["port"]?.intValue == 8080 })
        #expect(http["address"] == .null && http["end_port"]?.intValue == 8080 && http["protocol"]?.stringValue == "tcp")
        #expect(http["target"]?.stringValue == "web" && http["target_ip"]?.stringValue == webIP.description && http["target_port"]?.intValue == 80)
        #expect(list.contains { $0["address"]?.stringValue == Self.host.description && $0["port"]?.intValue == 7001 })
        #expect(try world.ok("forward", "list", "fw").standardOutput.hasPrefix("ADDRESS "))

        try world.ok("forward", "rm", "fw", "8080")
        #expect(try Self.fetch(from: world.uplink, Self.host, 8080, world: world) == nil)
        #expect(try Self.forwards(world, "fw").count == 2)
        try world.ok("destroy", "fw")
        let rules = firewall == "nftables" ? (try world.nftTable() ?? "") : try world.iptablesRules()
        #expect(!rules.contains(webIP.description), "\(rules)")
    }

    @Test func rangesFollowAMovedReservationAndSurviveDownAndUp() throws {
        let world = try VmnetWorld("pfr")
        try world.ok("create", "rng")
        let (web, _) = try Self.reservedGuest(world, network: "rng", name: "web")
        try Traffic.startEcho(in: web, sandbox: world.sandbox, port: 9001)
        try world.ok("forward", "add", "rng", "9000-9002", "web")
        try world.ok("forward", "add", "rng", "9000-9002/udp", "web")
        #expect(try Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 9001))
        #expect(try Traffic.udp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 9001))

        // The reservation moves; the guest takes the new address; the forward follows.
        let end = try #require(try world.network("rng")["static_range"]?["end"]?.stringValue)
        try world.ok("host", "add", "rng", "web", "--ip", end)
        let gateway = try world.gateway("rng")
        try world.sandbox.run(in: web, ["ip", "address", "flush", "dev", "eth0"]).requireSuccess("flushing eth0")
        try world.sandbox.run(in: web, ["ip", "address", "add", "\(end)/24", "dev", "eth0"]).requireSuccess("moving the guest")
        try world.sandbox.run(in: web, ["ip", "route", "replace", "default", "via", gateway.description]).requireSuccess("routing the guest")
        #expect(try Self.forwards(world, "rng").first?["target_ip"]?.stringValue == end)
        #expect(try Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 9001))

        try world.ok("down", "rng", "--force")
        #expect(try !Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 9001))
        try world.ok("up", "rng")
        try Self.reattachClients(world, bridge: try world.bridge("rng"))
        #expect(try Self.forwards(world, "rng").count == 2)
        #expect(try Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 9001))
        #expect(try Traffic.udp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 9001))
        try world.ok("destroy", "rng")
        let table = try world.nftTable() ?? ""
        #expect(!table.contains("9000-9002") && !table.contains(end), "\(table)")
    }

    @Test(arguments: ["nftables", "iptables"])
    func aForwardWorksWhereTheHostDropsForwarding(firewall: String) throws {
        let world = try VmnetWorld(firewall == "nftables" ? "pfd" : "pfe")
        // What Docker does to a host: FORWARD's policy becomes DROP.
        try world.inHost("iptables", "-w", "-P", "FORWARD", "DROP").requireSuccess("dropping forwarding")
        try world.ok("create", "dropped", "--firewall", firewall)
        let (web, _) = try Self.reservedGuest(world, network: "dropped", name: "web")
        try Traffic.startEcho(in: web, sandbox: world.sandbox)
        try world.ok("forward", "add", "dropped", "8080", "web:\(Traffic.port)")
        try world.ok("up", "dropped")
        #expect(try Traffic.tcp(from: world.uplink, to: Self.host, sandbox: world.sandbox, port: 8080))
        let (neighbour, _) = try world.leasedClient(on: "dropped", hostname: "neighbour")
        #expect(try Traffic.tcp(from: neighbour, to: Self.host, sandbox: world.sandbox, port: 8080))
    }

    @Test func refusedForwardsChangeNothing() throws {
        let world = try VmnetWorld("pfx")
        try world.ok("create", "nat")
        try world.ok("create", "lab", "--profile", "host-only")
        try world.ok("create", "second")
        try world.ok("host", "add", "second", "db")
        try world.ok("forward", "add", "second", "5432", "db")
        try world.ok("host", "add", "nat", "web")
        try world.ok("forward", "add", "nat", "8000-8010", "web")
        // A listener in the host namespace.
        try Traffic.startEcho(in: world.host, sandbox: world.sandbox, port: 8443)
        // A dual-stack listener on [::] takes IPv4 too.
        let listen6 = "import socket, time\ns = socket.socket(socket.AF_INET6)\ns.bind(('::', 8444))\ns.listen()\ntime.sleep(120)\n"
        try world.inHost("sh", "-c", "\(Traffic.python) -c \"\(listen6)\" </dev/null >/dev/null 2>&1 &").requireSuccess("listening on [::]:8444")
        for _ in 0..<50 where try world.inHost("ss", "-Hltn", "sport = :8444").standardOutput.isEmpty { usleep(100_000) }
        let file = world.stateDirectory + "/networks/nat/forwards.json"
        let before = (FileSystem.readIfPresent(file), try world.nftTable())
        let cases: [([String], Int32, String)] = [
            (["forward", "add", "nat", "8005", "web"], 4, "8000-8010/tcp is forwarded already"),
            (["forward", "add", "nat", "\(Self.host):8010", "web"], 4, "is forwarded already"),
            (["forward", "add", "nat", "8443", "web"], 4, "a local process listens on 0.0.0.0:8443/tcp"),
            (["forward", "add", "nat", "8444", "web"], 4, "a local process listens on 0.0.0.0:8444/tcp"),
            (["forward", "add", "nat", "9000", "192.0.2.7"], 4, "is not a guest address"),
            (["forward", "add", "lab", "9000", "web"], 4, "host-only"),
            (["forward", "add", "nat", "5432", "web"], 4, "is forwarded already on network 'second'"),
            (["forward", "add", "nat", "9000", "ghost"], 3, "'ghost' is no reserved host"),
            (["forward", "add", "nat", "70000", "web"], 2, "not a port"),
            (["forward", "add", "nat", "9000/icmp", "web"], 2, "tcp or udp"),
            (["forward", "add", "nat", "9000-9005", "web:80"], 2, "a range forwards to the same ports"),
            (["forward", "rm", "nat", "9999"], 3, "there is none"),
            (["forward", "add", "nosuch", "9000", "web"], 3, "network 'nosuch' does not exist"),
        ]
        try world.expectRefused(cases)
        #expect(FileSystem.readIfPresent(file) == before.0)
        #expect(try world.nftTable() == before.1)
    }
}
