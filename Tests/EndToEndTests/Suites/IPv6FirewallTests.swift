import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// IPv6 through vmnet's firewall with real clients: NAT66 to the fake internet, host-only
/// and isolation, another firewall's ip6tables drops, and what `destroy` and `ipv6: "off"`
/// leave. Clients get a static address from the /64's static range and a default route via
/// the gateway (::1), so these tests need no router advertisement.
@Suite("IPv6 firewall, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct IPv6FirewallTests {
    /// The fake internet's IPv6 (documentation prefix, RFC 3849): the host ::1, the uplink ::2.
    static let hostUplink = "2001:db8:100::1"
    static let uplinkAddress = "2001:db8:100::2"
    static let port = 7078

    /// A UDP echo server that logs each peer's address, one line each.
    static let server = """
        import socket, sys
        port, log = int(sys.argv[1]), sys.argv[2]
        u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        u.bind(("::", port))
        while True:
            data, peer = u.recvfrom(100)
            with open(log, "a") as f:
                f.write(peer[0] + "\\n")
            u.sendto(data, peer)
        """

    static let client = """
        import socket, sys
        address, port = sys.argv[1], int(sys.argv[2])
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.settimeout(1)
        ok = False
        for _ in range(2):
            try:
                s.sendto(b"vmnet", (address, port))
                ok = s.recvfrom(100)[0] == b"vmnet"
                break
            except OSError:
                pass
        sys.exit(0 if ok else 1)
        """

    /// Gives the host and the uplink IPv6 on their link (no DAD: the link is ours), routes the
    /// host's IPv6 default at the uplink (which has no route out), and starts the logging echo
    /// server there. Returns the log's path. Twice on one (shared) host changes nothing.
    static func prepare(_ world: VmnetWorld) throws -> String {
        let sandbox = world.sandbox
        try world.inHost("ip", "address", "replace", "\(hostUplink)/64", "dev", "h-up", "nodad").requireSuccess("addressing h-up")
        try sandbox.run(in: world.uplink, ["ip", "address", "replace", "\(uplinkAddress)/64", "dev", "up0", "nodad"]).requireSuccess("addressing up0")
        try world.inHost("ip", "-6", "route", "replace", "default", "via", uplinkAddress).requireSuccess("routing the host to the uplink")
        try #require(FileSystem.exists(Traffic.python), "\(Traffic.python) is missing: run scripts/install-deps --test")
        let script = sandbox.directory + "/echo6-server.py"
        try FileSystem.writeAtomically(server, to: script, mode: 0o644)
        try FileSystem.writeAtomically(client, to: sandbox.directory + "/echo6-client.py", mode: 0o644)
        let log = sandbox.directory + "/echo6-peers.log"
        try startEcho(in: world.uplink, world, log: log)
        return log
    }

    /// Starts the logging echo server in `namespace` unless one listens there already.
    static func startEcho(in namespace: String, _ world: VmnetWorld, log: String) throws {
        let sandbox = world.sandbox
        let script = sandbox.directory + "/echo6-server.py"
        let listening = { () throws -> Bool in try !sandbox.run(in: namespace, ["ss", "-Hlun", "sport = :\(port)"]).standardOutput.isEmpty }
        if try listening() { return }
        try sandbox.run(in: namespace, ["sh", "-c", "\(Traffic.python) \(script) \(port) \(log) </dev/null >/dev/null 2>&1 &"])
            .requireSuccess("starting the IPv6 echo server")
        for _ in 0..<50 {
            if try listening() { return }
            usleep(100_000)
        }
        Issue.record("the IPv6 echo server in \(namespace) does not listen")
    }

    /// A client on the network with a static address in its /64 (offset `host` in the static
    /// range) and its default route via the gateway; returns the namespace and the address.
    static func client(_ world: VmnetWorld, on name: String, host: UInt64) throws -> (namespace: String, address: IPv6Address) {
        let shown = try world.network(name)
        let subnet = try #require(shown["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) }, "\(name) has no subnet6")
        let gateway = try #require(shown["gateway6"]?.stringValue.flatMap { IPv6Address($0) })
        let namespace = try world.sandbox.addClient(on: try world.bridge(name), in: world.host)
        let address = subnet.host(host)
        try world.sandbox.run(in: namespace, ["ip", "address", "add", "\(address)/64", "dev", "eth0", "nodad"]).requireSuccess("addressing the client")
        try world.sandbox.run(in: namespace, ["ip", "-6", "route", "replace", "default", "via", gateway.description]).requireSuccess("routing the client")
        return (namespace, address)
    }

    static func udp(_ world: VmnetWorld, from namespace: String, to address: String) throws -> Bool {
        try world.sandbox.run(in: namespace, [Traffic.python, world.sandbox.directory + "/echo6-client.py", address, "\(port)"]).succeeded
    }

    static func ping(_ world: VmnetWorld, from namespace: String, _ address: String) throws -> Bool {
        try world.sandbox.run(in: namespace, ["busybox", "ping", "-6", "-c", "1", "-W", "1", address]).succeeded
    }

    static func gateway6(_ world: VmnetWorld, _ name: String) throws -> String {
        try #require(try world.network(name)["gateway6"]?.stringValue)
    }

    /// Every ip6tables rule of the tables vmnet uses.
    /// The rules and policies, without comments and packet counters (stray guest packets
    /// hitting a DROP policy are not a change vmnet made).
    /// Through another firewall's ip6tables drops (Docker, ufw): two clients of `name` reach
    /// the gateway, go out by NAT66 (the uplink logs the host's address) and reach each other
    /// by UDP (ufw lets forwarded ICMP echo through, so ping would prove nothing); doctor's
    /// `host-ip6tables` is ok.
    static func checkThroughHostFirewall(_ world: VmnetWorld, _ name: String, uplinkLog: String) throws {
        let (first, _) = try client(world, on: name, host: 0x100)
        let (second, secondAddress) = try client(world, on: name, host: 0x101)
        #expect(try ping(world, from: first, try gateway6(world, name)))
        #expect(try udp(world, from: first, to: uplinkAddress))
        #expect((FileSystem.readIfPresent(uplinkLog) ?? "").contains(hostUplink))
        try startEcho(in: second, world, log: world.sandbox.directory + "/echo6-\(name).log")
        #expect(try udp(world, from: first, to: secondAddress.description))
        #expect(try world.doctor(name).checks["host-ip6tables"] == "ok")
    }

    static func ip6tables(_ world: VmnetWorld) throws -> String {
        try world.inHost("ip6tables-save").standardOutput.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { line in line.hasPrefix(":") ? String(line.split(separator: " ").prefix(2).joined(separator: " ")) : String(line) }
            .joined(separator: "\n")
    }

    @Test(arguments: ["nftables", "iptables"])
    func natGoesOutThroughNAT66AndHostOnlyAndOtherNetworksStayClosed(firewall: String) throws {
        let world = try VmnetWorld(firewall == "nftables" ? "6n" : "6i")
        let log = try Self.prepare(world)
        try world.ok("create", "six", "--firewall", firewall)
        try world.ok("create", "other", "--firewall", firewall)
        try world.ok("create", "lab", "--profile", "host-only", "--firewall", firewall)
        let (nat, natAddress) = try Self.client(world, on: "six", host: 0x100)
        let (other, otherAddress) = try Self.client(world, on: "other", host: 0x100)
        let (lab, _) = try Self.client(world, on: "lab", host: 0x100)

        #expect(try Self.ping(world, from: nat, try Self.gateway6(world, "six")))
        #expect(try Self.udp(world, from: nat, to: Self.uplinkAddress))
        #expect(try Self.ping(world, from: nat, Self.uplinkAddress))
        let peers = FileSystem.readIfPresent(log) ?? ""
        #expect(peers.split(separator: "\n").contains(Substring(Self.hostUplink)), "\(peers)")
        #expect(!peers.contains(natAddress.description), "the uplink saw the ULA: \(peers)")

        #expect(try !Self.udp(world, from: lab, to: Self.uplinkAddress))
        #expect(try !Self.ping(world, from: lab, Self.uplinkAddress))
        #expect(try !Self.ping(world, from: nat, otherAddress.description))
        #expect(try !Self.ping(world, from: other, natAddress.description))
        #expect(try !Self.ping(world, from: nat, try Self.gateway6(world, "other")))
        #expect(try Self.udp(world, from: other, to: Self.uplinkAddress))
        // DNS over IPv6: at the network's own gateway, and not at another network's.
        let dig = { (client: String, server: String) throws -> String in
            try world.sandbox.run(in: client, ["dig", "+short", "+time=1", "+tries=1", "@\(server)", "x." + Sandbox.fakeDomain]).standardOutput
        }
        #expect(try dig(nat, try Self.gateway6(world, "six")).contains(Sandbox.fakeAnswer.description))
        #expect(try !dig(other, try Self.gateway6(world, "six")).contains(Sandbox.fakeAnswer.description))

        // doctor sees a missing IPv6 rule or element; `up` puts it back.
        #expect(try world.doctor("six").checks["firewall"] == "ok")
        let subnet6 = try #require(try world.network("six")["subnet6"]?.stringValue)
        if firewall == "nftables" {
            try world.inHost("nft", "delete", "element", "inet", "vmnet", "nat_subnets6", "{ \(subnet6) }").requireSuccess("deleting an element")
        } else {
            try world.inHost("ip6tables", "-t", "nat", "-F", "VMNET-POSTROUTING").requireSuccess("flushing the masquerade")
        }
        let broken = try world.doctor("six")
        #expect(broken.checks["firewall"] == "fail", "\(broken.details)")
        #expect(broken.details["firewall"]?.contains(subnet6) == true, "\(broken.details)")
        try world.ok("up", "six")
        #expect(try world.doctor("six").checks["firewall"] == "ok")

        // destroy takes the network's IPv6 elements and rules, the last one everything.
        let gateway = try Self.gateway6(world, "six")
        try world.ok("destroy", "six")
        if firewall == "nftables" {
            let table = try #require(try world.nftTable())
            let words = table.split(whereSeparator: { " \t\n{},".contains($0) })
            #expect(!words.contains(Substring(subnet6)) && !words.contains(Substring(gateway)), "\(table)")
        } else {
            let rules = try Self.ip6tables(world)
            #expect(!rules.contains(subnet6) && !rules.contains("vmn-six"), "\(rules)")
        }
        try world.ok("destroy", "other")
        try world.ok("destroy", "lab")
        #expect(try world.nftTable() == nil)
        #expect(try !Self.ip6tables(world).contains("VMNET"))
    }

    @Test(arguments: ["nftables", "iptables"])
    func anIPv6OffNetworkLeavesNoIPv6Rule(firewall: String) throws {
        let world = try VmnetWorld(firewall == "nftables" ? "6o" : "6p")
        try world.addProfile("v4", #"{"mode": "nat", "ipv6": "off"}"#)
        try world.ok("create", "plain", "--profile", "v4", "--firewall", firewall)
        #expect(try world.network("plain")["subnet6"]?.isNull != false)
        if firewall == "iptables" {
            // host_access=services closes the host's link-local address on the bridge too:
            // input rules only, nothing forwarded or masqueraded.
            try world.ok("set", "plain", "host_access=services")
            let rules = try Self.ip6tables(world)
            #expect(rules.contains("-A VMNET-INPUT -i \(try world.bridge("plain")) -j REJECT") && !rules.contains("MASQUERADE"), "\(rules)")
            try world.ok("set", "plain", "host_access=all")
        }
        #expect(try !Self.ip6tables(world).contains("VMNET"))
        if firewall == "nftables" {
            for set in ["nat_bridges6", "nat_subnets6", "gateways6", "isolated_gateways6", "own_gateways6"] {
                let listed = try world.inHost("nft", "list", "set", "inet", "vmnet", set).standardOutput
                #expect(!listed.contains("elements"), "\(listed)")
            }
        }
        #expect(try world.doctor("plain").checks["firewall"] == "ok")
    }

    /// A host whose `iptables` is the legacy one: IPv6 rules go to ip6tables-legacy beside the
    /// IPv4 ones, never split across the two mechanisms.
    @Test func legacyIptablesGetsItsIPv6RulesInIp6tablesLegacy() throws {
        let world = try VmnetWorld("6l")
        let log = try Self.prepare(world)
        let bin = world.sandbox.directory + "/legacy-bin"
        try FileSystem.makeDirectories(bin)
        for program in ["iptables", "iptables-save", "iptables-restore"] {
            try world.sandbox.runner.run(["ln", "-s", "/usr/sbin/xtables-legacy-multi", bin + "/" + program]).requireSuccess("linking \(program)")
        }
        let path = ["PATH": bin + ":" + (ProcessEnvironment.current()["PATH"] ?? "/usr/sbin:/usr/bin")]
        let created = try world.vmnet(["create", "leg", "--firewall", "iptables"], environment: path)
        try #require(created.succeeded, "\(created.standardError)")
        let subnet6 = try #require(try world.network("leg")["subnet6"]?.stringValue)
        let legacy = try world.inHost("ip6tables-legacy-save").standardOutput
        #expect(legacy.contains("-A VMNET-POSTROUTING -s \(subnet6) ! -d \(subnet6) -j MASQUERADE"), "\(legacy)")
        #expect(try world.inHost("iptables-legacy-save").standardOutput.contains("VMNET-FORWARD"))
        #expect(try !world.inHost("ip6tables-nft-save").standardOutput.contains("VMNET"))
        let (client, _) = try Self.client(world, on: "leg", host: 0x100)
        #expect(try Self.udp(world, from: client, to: Self.uplinkAddress))
        #expect((FileSystem.readIfPresent(log) ?? "").contains(Self.hostUplink))
        let destroyed = try world.vmnet(["destroy", "leg"], environment: path)
        #expect(destroyed.succeeded, "\(destroyed.standardError)")
        #expect(try !world.inHost("ip6tables-legacy-save").standardOutput.contains("VMNET"))
    }

    /// Docker with `"ip6tables": true` (its FORWARD policy DROP and a DOCKER-USER chain) and an
    /// INPUT that drops all but replies: vmnet's accepts go into ip6tables too, and go again.
    @Test func nat66WorksThroughIp6tablesDropsAndDestroyLeavesThemAsTheyWere() throws {
        let world = try VmnetWorld("6d")
        let log = try Self.prepare(world)
        for rule in [["-N", "DOCKER-USER"], ["-A", "DOCKER-USER", "-j", "RETURN"], ["-A", "FORWARD", "-j", "DOCKER-USER"], ["-P", "FORWARD", "DROP"],
                     ["-A", "INPUT", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"],
                     // The host's own neighbour discovery on its uplink, as ufw's before6.rules allow it.
                     ["-A", "INPUT", "-i", "h-up", "-p", "ipv6-icmp", "-j", "ACCEPT"], ["-P", "INPUT", "DROP"]] {
            try world.inHost(["ip6tables", "-w"] + rule).requireSuccess("setting up ip6tables drops")
        }
        let before = try Self.ip6tables(world)
        try world.ok("create", "dock")
        let (first, _) = try Self.client(world, on: "dock", host: 0x100)
        let (second, secondAddress) = try Self.client(world, on: "dock", host: 0x101)
        #expect(try Self.ping(world, from: first, try Self.gateway6(world, "dock")))
        #expect(try Self.udp(world, from: first, to: Self.uplinkAddress))
        #expect(try Self.ping(world, from: first, secondAddress.description))
        _ = second
        #expect((FileSystem.readIfPresent(log) ?? "").contains(Self.hostUplink))
        let user = try world.inHost("ip6tables", "-S", "DOCKER-USER").standardOutput
        #expect(user.contains("-A DOCKER-USER -i vmn-dock -o vmn-dock -m comment --comment \"vmnet:dock\" -j ACCEPT"), "\(user)")
        #expect(try world.doctor("dock").checks["host-ip6tables"] == "ok")
        try world.inHost("ip6tables", "-D", "DOCKER-USER", "1").requireSuccess("removing a rule")
        #expect(try world.doctor("dock").checks["host-ip6tables"] == "fail")
        try world.ok("up", "dock")
        #expect(try world.inHost("ip6tables", "-S", "DOCKER-USER").standardOutput == user)
        try world.ok("destroy", "dock")
        let after = try Self.ip6tables(world)
        #expect(after == before, "\(after)")
    }
}

@Suite("IPv6 firewall with ufw, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct IPv6UfwTests {
    /// ufw drops IPv6 INPUT and FORWARD too (IPV6=yes): vmnet's accepts in ip6tables let NAT66,
    /// neighbour discovery and guest-to-guest through, and go with the network.
    @Test func nat66WorksWithUfwEnabled() throws {
        let ufw = try UfwHost.get()
        let world = ufw.shared.world()
        let log = try IPv6FirewallTests.prepare(world)
        let policies = try world.inHost("ip6tables", "-S").standardOutput
        try #require(policies.contains("-P INPUT DROP") && policies.contains("-P FORWARD DROP"), "\(policies)")
        try world.ok("create", "u6")
        try IPv6FirewallTests.checkThroughHostFirewall(world, "u6", uplinkLog: log)
        try world.ok("destroy", "u6")
        let after = try IPv6FirewallTests.ip6tables(world)
        #expect(!after.contains("vmnet") && !after.contains("VMNET"), "\(after)")
    }
}

extension VmnetWorld {
    @discardableResult
    fileprivate func inHost(_ arguments: [String]) throws -> ProcessResult { try sandbox.run(in: host, arguments) }
}
