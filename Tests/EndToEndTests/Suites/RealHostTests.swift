import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// What a developer's laptop does to a network that a clean namespace does not: br_netfilter
/// with a Docker-style FORWARD policy, root's umask 077, guests with low MACs joining, and
/// DNS or isolation leaking between networks.
@Suite("Real hosts: bridged frames, umask, fixed gateway, local DNS, whole isolation, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct RealHostTests {
    /// dig (dnsutils) and curl, beyond what every end-to-end test needs.
    init() throws {
        for program in ["dig", "curl"] {
            try #require(ExecutableLocator.find(program) != nil, "missing \(program): run scripts/install-deps --test")
        }
    }

    @Test func bridgesTurnBrNetfilterOffAndGuestsTalkTCPUnderADockerStyleForwardDrop() throws {
        let world = try VmnetWorld("rf")
        try world.ok("create", "web")
        let bridge = try world.bridge("web")
        let switchesOff = "nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0"
        #expect(try world.inHost("ip", "-d", "link", "show", bridge).standardOutput.contains(switchesOff))
        try world.inHost("ip", "link", "set", bridge, "type", "bridge", "nf_call_iptables", "1").requireSuccess("turning nf_call_iptables on")
        try world.ok("up", "web")
        #expect(try world.inHost("ip", "-d", "link", "show", bridge).standardOutput.contains(switchesOff))

        // Docker sets this; br_netfilter (bridge-nf-call-iptables=1) applies it to bridged frames.
        try world.inHost("iptables", "-w", "-P", "FORWARD", "DROP").requireSuccess("setting FORWARD's policy to DROP")
        // The next `up` sees the drop and adds its accepts where it takes effect.
        try world.ok("up", "web")
        let (one, _) = try world.leasedClient(on: "web", hostname: "one")
        let (two, lease) = try world.leasedClient(on: "web", hostname: "two")
        let site = world.sandbox.directory + "/www"
        try FileSystem.makeDirectories(site)
        try FileSystem.writeAtomically("guest to guest\n", to: site + "/hello")
        try world.sandbox.run(in: two, ["busybox", "httpd", "-p", "8080", "-h", site]).requireSuccess("starting httpd in \(two)")
        // Debian's static busybox wget crashes resolving; curl it is.
        let fetched = try world.sandbox.run(in: one, ["curl", "-s", "-m", "2", "http://\(lease.address):8080/hello"]).standardOutput
        // Measured: the kernel ORs the bridge's switch with the namespace's sysctl
        // (br_nf_pre_routing), so the switch alone cannot take these frames out of FORWARD;
        // the accept `up` added to FORWARD for traffic that stays on the bridge lets them through.
        #expect(fetched == "guest to guest\n")
    }

    @Test func underUmask077AReservationIsServedByDHCPAndDNS() throws {
        let world = try VmnetWorld("ru")
        world.umask = "077"
        func hardened(_ arguments: String...) throws -> ProcessResult { try world.vmnet(arguments) }
        let created = try hardened("create", "lab")
        #expect(created.succeeded, "\(created.standardError)")
        let added = try hardened("host", "add", "lab", "web", "--mac", "52:54:00:aa:bb:07", "--json")
        #expect(added.succeeded, "\(added.standardError)")
        let reserved = try #require(try JSONCodec.parse(added.standardOutput, source: "host add")["ip"]?.stringValue)
        var info = stat()
        #expect(stat(world.stateDirectory + "/networks/lab", &info) == 0 && info.st_mode & 0o777 == 0o755)
        let (client, lease) = try world.leasedClient(on: "lab", hostname: "web", mac: "52:54:00:aa:bb:07")
        #expect(lease.address.description == reserved)
        let gateway = try world.gateway("lab")
        let dig = try world.sandbox.run(in: client, ["dig", "+short", "+time=1", "+tries=1", "@\(gateway)", "web.lab.vmnet"])
        #expect(dig.standardOutput.split(separator: "\n").map(String.init) == [reserved])
        let another = try hardened("host", "add", "lab", "db")
        #expect(another.succeeded, "\(another.standardError)")
        #expect(try world.sandbox.resolve(from: client, "db.lab.vmnet", server: gateway) != nil)
        #expect(try hardened("host", "rm", "lab", "db").succeeded)
        #expect(try world.sandbox.resolve(from: client, "db.lab.vmnet", server: gateway) == nil)
    }

    @Test func aStateDirectoryDnsmasqCannotReachIsRefusedInOneLine() throws {
        let world = try VmnetWorld("rc")
        let closed = world.sandbox.directory + "/closed"
        try FileSystem.makeDirectories(closed, mode: 0o700)
        let result = try world.vmnet(["create", "lab"], environment: ["VMNET_STATE_DIR": closed + "/state"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("user nobody, which dnsmasq runs as, cannot reach \(closed) (mode 700)"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(!(try world.links()).contains("vmn-lab"))
    }

    @Test func theGatewayKeepsItsMACWhenALowerOneJoinsAndAnEmptyBridgeHasCarrier() throws {
        let world = try VmnetWorld("rg")
        try world.ok("create", "gw")
        let bridge = try world.bridge("gw")
        let gateway = try world.gateway("gw")
        let fixed = BridgeMAC.address(for: try NetworkName("gw")).description
        func bridgeMAC() throws -> String { try world.inHost("cat", "/sys/class/net/\(bridge)/address").standardOutput.trimmingSpaces }
        func operstate() throws -> String { try world.inHost("cat", "/sys/class/net/\(bridge)/operstate").standardOutput.trimmingSpaces }
        #expect(try bridgeMAC() == fixed)
        // The kernel reports a carrier change through linkwatch, up to a second later.
        for _ in 0..<30 where try operstate() != "up" { usleep(100_000) }
        #expect(try operstate() == "up", "a bridge with no guest should keep carrier through its keeper pair")

        let (client, _) = try world.leasedClient(on: "gw", hostname: "first", mac: "52:54:00:00:00:10")
        #expect(try world.sandbox.ping(from: client, gateway))
        _ = try world.sandbox.addClient(on: bridge, in: world.host, mac: "00:16:3e:00:00:01")
        #expect(try bridgeMAC() == fixed)
        #expect(try world.sandbox.ping(from: client, gateway))
        #expect(try world.sandbox.run(in: client, ["ip", "neigh", "show", gateway.description]).standardOutput.contains(fixed))
        try world.ok("down", "gw", "--force")
        try world.ok("up", "gw")
        #expect(try bridgeMAC() == fixed)
    }

    @Test(arguments: ["nftables", "iptables"])
    func vmnetNamesStayLocalAndAnotherNetworksGatewayIsClosed(firewall: String) throws {
        let world = try VmnetWorld("rd")
        try world.ok("create", "a", "--firewall", firewall)
        try world.ok("create", "b", "--firewall", firewall)
        let secret = try #require(try JSONCodec.parse(try world.ok("host", "add", "b", "secretbox", "--json").standardOutput, source: "host add")["ip"]?.stringValue)
        let (client, lease) = try world.leasedClient(on: "a", hostname: "guest")
        let (gatewayA, gatewayB) = (try world.gateway("a"), try world.gateway("b"))
        func dig(_ arguments: String...) throws -> ProcessResult {
            try world.sandbox.run(in: client, ["dig", "+time=1", "+tries=1"] + arguments)
        }
        func nxdomain(_ arguments: String...) throws -> Bool {
            try world.sandbox.run(in: client, ["dig", "+time=1", "+tries=1"] + arguments).standardOutput.contains("status: NXDOMAIN")
        }
        #expect(try nxdomain("@\(gatewayA)", "secretbox.b.vmnet"))
        #expect(try nxdomain("@\(gatewayA)", "nothing.vmnet"))
        #expect(try nxdomain("@\(gatewayA)", "-x", secret))
        #expect(try nxdomain("@\(gatewayA)", "-x", lease.address.description) == false)
        #expect(try dig("+short", "@\(gatewayA)", "guest.a.vmnet").standardOutput.contains(lease.address.description))
        #expect(try dig("+short", "@\(gatewayA)", "www.\(Sandbox.fakeDomain)").standardOutput.contains(Sandbox.fakeAnswer.description))
        let log = FileSystem.readIfPresent(world.sandbox.upstreamQueryLog) ?? ""
        #expect(log.contains(Sandbox.fakeDomain), "the fake upstream logs its queries")
        #expect(!log.contains(".vmnet") && !log.contains("in-addr.arpa"), "leaked upstream:\n\(log)")

        // B's gateway is part of B: nothing of it answers a guest of A.
        #expect(try !world.sandbox.ping(from: client, gatewayB))
        for transport in ["+notcp", "+tcp"] {
            let leaked = try dig(transport, "+short", "@\(gatewayB)", "secretbox.b.vmnet")
            #expect(!leaked.succeeded && !leaked.standardOutput.contains(secret), "\(transport): \(leaked.standardOutput)")
        }
        // Nor does A's dnsmasq answer a query that comes in from outside, over the uplink.
        let subnet = try #require(try world.network("a")["subnet"]?.stringValue)
        try world.sandbox.run(in: world.uplink, ["ip", "route", "add", subnet, "via", Sandbox.hostUplinkAddress.description]).requireSuccess("routing the uplink to \(subnet)")
        #expect(try world.sandbox.ping(from: world.uplink, gatewayA), "the route works")
        let outside = try world.sandbox.run(in: world.uplink, ["dig", "+time=1", "+tries=1", "+short", "@\(gatewayA)", "guest.a.vmnet"])
        #expect(!outside.succeeded && !outside.standardOutput.contains(lease.address.description), "\(outside.standardOutput)")
    }

    @Test func anotherNetworksNamesResolveOnlyWhereBothAreOpen() throws {
        let world = try VmnetWorld("ro")
        try world.addProfile("open", #"{"mode": "nat", "isolation": false}"#)
        try world.ok("create", "oa", "--profile", "open")
        let (client, _) = try world.leasedClient(on: "oa", hostname: "guest")
        // Created after oa's dnsmasq started: it learns them from its peers file on SIGHUP.
        try world.ok("create", "ob", "--profile", "open")
        try world.ok("create", "shut")
        let box = try #require(try JSONCodec.parse(try world.ok("host", "add", "ob", "box", "--json").standardOutput, source: "host add")["ip"]?.stringValue)
        try world.ok("host", "add", "shut", "hidden")
        let gateway = try world.gateway("oa")
        func dig(_ name: String) throws -> String {
            try world.sandbox.run(in: client, ["dig", "+time=1", "+tries=1", "@\(gateway)", name]).standardOutput
        }
        #expect(try dig("box.ob.vmnet").contains(box))
        #expect(try dig("hidden.shut.vmnet").contains("status: NXDOMAIN"))
        try world.ok("destroy", "ob")
        #expect(try dig("box.ob.vmnet").contains("status: NXDOMAIN"))
        let log = FileSystem.readIfPresent(world.sandbox.upstreamQueryLog) ?? ""
        #expect(!log.contains(".vmnet"), "leaked upstream:\n\(log)")
    }
}

extension String {
    fileprivate var trimmingSpaces: String { String(filter { !$0.isWhitespace }) }
}
