import JSON
import Testing
import VmnetCore
import VmnetShell

/// IPv6 on a network, proven by real clients: the kernel's SLAAC from dnsmasq's router
/// advertisements, DHCPv6 leases by dhclient -6 and dhcpcd with their names, AAAA and
/// ip6.arpa answers from the gateway, reservations with --ip6, and `ipv6: "off"`.
@Suite("IPv6 guests, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct IPv6ClientTests {
    static let programs = ["dhclient", "dhcpcd", "rdisc6", "dig", "unshare"]

    private struct Network6 {
        let subnet: IPv6Subnet
        let gateway: IPv6Address

        init(_ world: VmnetWorld, _ name: String) throws {
            let shown = try world.network(name)
            subnet = try #require(shown["subnet6"]?.stringValue.flatMap { IPv6Subnet($0) }, "no subnet6 in show --json: \(shown)")
            gateway = try #require(shown["gateway6"]?.stringValue.flatMap { IPv6Address($0) })
        }

        /// Whether DHCPv6 hands out the address: ::1:0 to ::1:ffff of the /64.
        func inDHCPRange(_ address: IPv6Address) -> Bool { subnet.host(0x1_0000) <= address && address <= subnet.host(0x1_ffff) }
    }

    /// The value of one rdisc6 field ("Router lifetime : 0 (0x00000000) seconds" gives "0").
    static func field(_ name: String, in advertisement: String) -> String? {
        for line in advertisement.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix(name), let colon = trimmed.firstIndex(of: ":") else { continue }
            return trimmed[trimmed.index(after: colon)...].split(separator: " ").first.map(String.init)
        }
        return nil
    }

    static func leases(_ world: VmnetWorld, _ name: String) throws -> [JSONValue] {
        try JSONCodec.parse(try world.ok("leases", name, "--json").standardOutput, source: "leases").arrayValue ?? []
    }

    @Test func aNatGuestGetsSLAACADHCPv6LeaseWithItsNameAndReverseNames() throws {
        try IPv6Clients.require(Self.programs)
        let world = try VmnetWorld("v6")
        try world.ok("create", "six")
        let six = try Network6(world, "six")
        let bridge = try world.bridge("six")

        let first = try world.sandbox.addClient(on: bridge, in: world.host)
        let slaac = try #require(try IPv6Clients.slaacAddress(in: first, subnet: six.subnet, sandbox: world.sandbox), "no SLAAC address")
        #expect(six.subnet.contains(slaac))
        let routes = try IPv6Clients.defaultRoutes(in: first, sandbox: world.sandbox)
        #expect(routes.count == 1 && routes.first?.hasPrefix("default via fe80:") == true && routes.first?.contains("proto ra") == true, "\(routes)")
        let advertisement = try #require(try IPv6Clients.solicit(in: first, sandbox: world.sandbox), "no router advertisement")
        #expect(Self.field("Recursive DNS server", in: advertisement) == six.gateway.description, "\(advertisement)")
        #expect(Self.field("DNS search list", in: advertisement) == "six.vmnet", "\(advertisement)")
        #expect(Self.field("Router lifetime", in: advertisement) != "0")

        let leased = try #require(try IPv6Clients.dhclient(in: first, hostname: "dh", sandbox: world.sandbox), "dhclient -6 got no lease")
        #expect(six.inDHCPRange(leased), "\(leased)")
        #expect(try IPv6Clients.dig(from: first, ["AAAA", "dh.six.vmnet"], server: six.gateway, sandbox: world.sandbox) == [leased.description])
        #expect(try IPv6Clients.dig(from: first, ["-x", leased.description], server: six.gateway, sandbox: world.sandbox) == ["dh.six.vmnet."])

        let second = try world.sandbox.addClient(on: bridge, in: world.host)
        _ = try IPv6Clients.slaacAddress(in: second, subnet: six.subnet, sandbox: world.sandbox)
        let other = try #require(try IPv6Clients.dhcpcd(in: second, hostname: "dc", subnet: six.subnet, sandbox: world.sandbox), "dhcpcd got no lease")
        #expect(six.inDHCPRange(other) && other != leased, "\(other)")
        #expect(try IPv6Clients.dig(from: first, ["AAAA", "dc.six.vmnet"], server: six.gateway, sandbox: world.sandbox) == [other.description])

        // A reverse name of the /64 that nobody holds is answered locally, never upstream.
        let nobody = six.subnet.host(0x1234_5678)
        #expect(try IPv6Clients.dig(from: first, ["-x", nobody.description], server: six.gateway, sandbox: world.sandbox) == [])
        #expect(!(FileSystem.readIfPresent(world.sandbox.upstreamQueryLog) ?? "").contains("ip6.arpa"))

        let entries = try Self.leases(world, "six")
        for (address, name) in [(leased, "dh"), (other, "dc")] {
            let entry = entries.first { $0["ip"]?.stringValue == address.description }
            #expect(entry?["family"]?.stringValue == "ipv6" && entry?["hostname"]?.stringValue == name && entry?["source"]?.stringValue == "dhcp",
                    "leases: \(entries)")
        }
        #expect(try world.ok("leases", "six").standardOutput.contains(leased.description))
    }

    @Test func aReservationWithAnIPv6AddressIsServedToItsMACAndResolves() throws {
        try IPv6Clients.require(Self.programs)
        let world = try VmnetWorld("v6r")
        try world.ok("create", "resv")
        let resv = try Network6(world, "resv")
        let subnet = try #require(try world.network("resv")["subnet"]?.stringValue.flatMap { IPv4Subnet($0) })

        let added = try JSONCodec.parse(try world.ok("host", "add", "resv", "db", "--mac", "52:54:00:6e:00:01", "--json").standardOutput, source: "host add")
        let ip = try #require(added["ip"]?.stringValue.flatMap { IPv4Address($0) })
        let derived = try #require(added["ip6"]?.stringValue.flatMap { IPv6Address($0) })
        #expect(derived == resv.subnet.host(UInt64(ip.value - subnet.network.value)))
        let chosen = resv.subnet.host(0x99)
        let fixed = try JSONCodec.parse(try world.ok("host", "add", "resv", "fixed", "--ip6", chosen.description, "--json").standardOutput, source: "host add")
        #expect(fixed["ip6"]?.stringValue == chosen.description)
        try world.expectRefused([
            (["host", "add", "resv", "far", "--ip6", resv.subnet.host(0x1_0005).description], 2, "outside the static IPv6 range"),
            (["host", "add", "resv", "twin", "--ip6", chosen.description], 4, "already reserved for host 'fixed'"),
            (["host", "add", "resv", "bad", "--ip6", "not-an-address"], 2, "is not an IPv6 address"),
        ])
        let list = try JSONCodec.parse(try world.ok("host", "list", "resv", "--json").standardOutput, source: "host list").arrayValue ?? []
        #expect(list.compactMap { $0["ip6"]?.stringValue } .sorted() == [derived.description, chosen.description].sorted())

        let client = try world.sandbox.addClient(on: try world.bridge("resv"), in: world.host, mac: "52:54:00:6e:00:01")
        _ = try IPv6Clients.slaacAddress(in: client, subnet: resv.subnet, sandbox: world.sandbox)
        #expect(try IPv6Clients.dhclient(in: client, hostname: "db", sandbox: world.sandbox) == derived)
        #expect(try IPv6Clients.dig(from: client, ["AAAA", "db.resv.vmnet"], server: resv.gateway, sandbox: world.sandbox) == [derived.description])
        #expect(try IPv6Clients.dig(from: client, ["AAAA", "fixed.resv.vmnet"], server: resv.gateway, sandbox: world.sandbox) == [chosen.description])
        #expect(try IPv6Clients.dig(from: client, ["-x", derived.description], server: resv.gateway, sandbox: world.sandbox) == ["db.resv.vmnet."])
        let row = try Self.leases(world, "resv").first { $0["ip"]?.stringValue == derived.description }
        #expect(row?["source"]?.stringValue == "reserved" && row?["hostname"]?.stringValue == "db" && row?["expires"]?.intValue != nil, "\(String(describing: row))")
    }

    @Test func hostOnlyAdvertisesThePrefixWithoutADefaultRouteAndTheMTUGoesIntoTheAdvertisements() throws {
        try IPv6Clients.require(Self.programs)
        let world = try VmnetWorld("v6h")
        try world.ok("create", "iso", "--profile", "host-only", "--mtu", "1400")
        try world.ok("create", "wide", "--mtu", "1400")
        for (name, hostOnly) in [("iso", true), ("wide", false)] {
            let network = try Network6(world, name)
            let client = try world.sandbox.addClient(on: try world.bridge(name), in: world.host)
            let slaac = try IPv6Clients.slaacAddress(in: client, subnet: network.subnet, sandbox: world.sandbox)
            #expect(slaac != nil, "\(name): no SLAAC address")
            let routes = try IPv6Clients.defaultRoutes(in: client, sandbox: world.sandbox)
            #expect(routes.isEmpty == hostOnly, "\(name): \(routes)")
            let advertisement = try #require(try IPv6Clients.solicit(in: client, sandbox: world.sandbox), "\(name): no router advertisement")
            #expect((Self.field("Router lifetime", in: advertisement) == "0") == hostOnly, "\(name): \(advertisement)")
            #expect(Self.field("MTU", in: advertisement) == "1400", "\(name): \(advertisement)")
            let mtu = try world.sandbox.run(in: client, ["sysctl", "-n", "net.ipv6.conf.eth0.mtu"]).standardOutput.filter { !$0.isWhitespace }
            #expect(mtu == "1400", "\(name)")
        }
    }

    @Test func ipv6OffLeavesNoAddressAndSendsNoAdvertisement() throws {
        try IPv6Clients.require(Self.programs)
        let world = try VmnetWorld("v6o")
        try world.addProfile("v4only", #"{"mode": "nat", "ipv6": "off"}"#)
        try world.ok("create", "four", "--profile", "v4only")
        #expect(try world.network("four")["subnet6"] == .null)
        let bridge = try world.bridge("four")
        #expect(try world.inHost("ip", "-6", "-o", "address", "show", "dev", bridge).standardOutput.isEmpty)
        #expect(!(FileSystem.readIfPresent(world.runDirectory + "/four/dnsmasq.conf") ?? "enable-ra").contains("enable-ra"))
        _ = try world.leasedClient(on: "four", hostname: "plain")
        // A client of its own: the DHCPv4 client's script flushes every address of its eth0.
        let client = try world.sandbox.addClient(on: bridge, in: world.host)
        // rdisc6 solicits three times, one second apart: a bounded wait for an answer that must not come.
        #expect(try IPv6Clients.solicit(in: client, sandbox: world.sandbox) == nil)
        #expect(try world.sandbox.run(in: client, ["ip", "-6", "-o", "address", "show", "dev", "eth0", "scope", "global"]).standardOutput.isEmpty)
        #expect(try IPv6Clients.defaultRoutes(in: client, sandbox: world.sandbox).isEmpty)
    }
}
