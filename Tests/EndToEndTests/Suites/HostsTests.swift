import JSON
import Testing
import VmnetCore
import VmnetShell

@Suite("Hosts and leases, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct HostsTests {
    @Test func aClientWithTheReservedMACGetsTheReservedAddressAndName() throws {
        let world = try VmnetWorld("hr")
        try world.ok("create", "lab")
        let reservation = try JSONCodec.parse(try world.ok("host", "add", "lab", "web", "--mac", "52:54:00:AA:BB:01", "--json").standardOutput, source: "host add")
        let reserved = try #require(reservation["ip"]?.stringValue.flatMap { IPv4Address($0) })
        let network = try world.network("lab")
        #expect(reserved.description == network["static_range"]?["start"]?.stringValue)
        #expect(reservation["mac"]?.stringValue == "52:54:00:aa:bb:01")
        let (client, lease) = try world.leasedClient(on: "lab", hostname: "web", mac: "52:54:00:aa:bb:01")
        #expect(lease.address == reserved)
        #expect(try world.sandbox.resolve(from: client, "web.lab.vmnet", server: try world.gateway("lab")) == reserved)
    }

    @Test func aReservedNameResolvesAtOnceAndChangesKeepDnsmasqAndLeases() throws {
        let world = try VmnetWorld("hk")
        try world.ok("create", "keep")
        let gateway = try world.gateway("keep")
        let (client, lease) = try world.leasedClient(on: "keep", hostname: "roaming")
        let pid = try world.network("keep")["dnsmasq_pid"]
        let leaseFile = world.stateDirectory + "/networks/keep/leases"
        let leasesBefore = try #require(FileSystem.readIfPresent(leaseFile))

        try world.ok("host", "add", "keep", "db")
        try world.ok("host", "add", "keep", "cache", "--ip", try #require(try world.network("keep")["static_range"]?["end"]?.stringValue))
        let db = try #require(try world.sandbox.resolve(from: client, "db.keep.vmnet", server: gateway))
        #expect(try world.sandbox.resolve(from: client, "cache.keep.vmnet", server: gateway) != nil)
        try world.ok("host", "rm", "keep", "cache")
        #expect(try world.sandbox.resolve(from: client, "cache.keep.vmnet", server: gateway) == nil)
        #expect(try world.sandbox.resolve(from: client, "roaming.keep.vmnet", server: gateway) == lease.address)
        try world.ok("reload", "keep")
        try world.ok("reload", "--all")

        #expect(try world.network("keep")["dnsmasq_pid"] == pid)
        #expect(FileSystem.readIfPresent(leaseFile) == leasesBefore)
        let list = try JSONCodec.parse(try world.ok("host", "list", "keep", "--json").standardOutput, source: "host list").arrayValue ?? []
        #expect(list.map { $0["name"]?.stringValue } == ["db"])
        #expect(list.first?["ip"]?.stringValue == db.description)
    }

    @Test func leasesMergeTheLeaseFileWithReservations() throws {
        let world = try VmnetWorld("hl")
        try world.ok("create", "merge")
        _ = try world.leasedClient(on: "merge", hostname: "one")
        _ = try world.leasedClient(on: "merge", hostname: "two")
        try world.ok("host", "add", "merge", "fixed")
        let entries = try JSONCodec.parse(try world.ok("leases", "merge", "--json").standardOutput, source: "leases").arrayValue ?? []
        let fileLeases = DHCPLease.parse(FileSystem.readIfPresent(world.stateDirectory + "/networks/merge/leases") ?? "")
        #expect(fileLeases.count == 2)
        for lease in fileLeases {
            let entry = entries.first { $0["ip"]?.stringValue == lease.ip.description }
            #expect(entry?["mac"]?.stringValue == lease.mac.description)
            #expect(entry?["expires"] == .integer(lease.expires))
            #expect(entry?["source"]?.stringValue == "dhcp")
            #expect(entry?["hostname"]?.stringValue == lease.hostname)
        }
        let fixed = entries.first { $0["hostname"]?.stringValue == "fixed" }
        #expect(fixed?["source"]?.stringValue == "reserved")
        #expect(fixed?["expires"] == .null)
        let all = try JSONCodec.parse(try world.ok("leases", "--all", "--json").standardOutput, source: "leases --all").arrayValue ?? []
        #expect(all.count == entries.count)
        #expect(try world.ok("leases", "merge").standardOutput.hasPrefix("NETWORK "))
    }

    @Test func aRemovedAndReAddedHostGetsTheSameMAC() throws {
        let world = try VmnetWorld("hm")
        try world.ok("create", "stable", "--no-start")
        let first = try JSONCodec.parse(try world.ok("host", "add", "stable", "vm", "--json").standardOutput, source: "add")
        try world.ok("host", "rm", "stable", "vm")
        let second = try JSONCodec.parse(try world.ok("host", "add", "stable", "vm", "--json").standardOutput, source: "add")
        #expect(first["mac"] == second["mac"])
        let mac = try #require(first["mac"]?.stringValue)
        let snippet = try world.ok("export", "stable", "--format", "libvirt-interface", "--host", "vm").standardOutput
        #expect(snippet.contains("<mac address='\(mac)'/>"))
    }

    @Test func badHostInputIsRefusedAndChangesNothing() throws {
        let world = try VmnetWorld("hb")
        try world.ok("create", "strict")
        try world.ok("host", "add", "strict", "taken", "--mac", "52:54:00:00:00:01")
        let taken = try #require(try JSONCodec.parse(try world.ok("host", "list", "strict", "--json").standardOutput, source: "list").arrayValue?.first?["ip"]?.stringValue)
        let dhcpStart = try #require(try world.network("strict")["dhcp_range"]?["start"]?.stringValue)
        let hostsFile = world.stateDirectory + "/networks/strict/hosts.json"
        let before = (FileSystem.readIfPresent(hostsFile), try world.footprint(), try world.network("strict")["dnsmasq_pid"])
        let cases: [([String], Int32, String)] = [
            (["host", "add", "strict", "x", "--mac", "zz:00:00:00:00:01"], 2, "not a unicast Ethernet address"),
            (["host", "add", "strict", "x", "--mac", "01:00:5e:00:00:01"], 2, "not a unicast Ethernet address"),
            (["host", "add", "strict", "x", "--ip", dhcpStart], 2, "outside the static range"),
            (["host", "add", "strict", "x", "--ip", "10.999.0.1"], 2, "not an IPv4 address"),
            (["host", "add", "strict", "x", "--ip", taken], 4, "already reserved for host 'taken'"),
            (["host", "add", "strict", "y", "--mac", "52:54:00:00:00:01"], 4, "already reserved for host 'taken'"),
            (["host", "add", "strict", "Bad_Host"], 2, "host name 'Bad_Host' is not valid"),
            (["host", "add", "nosuch", "x"], 3, "network 'nosuch' does not exist"),
            (["host", "rm", "strict", "ghost"], 3, "host 'ghost' is not reserved"),
            (["export", "strict", "--format", "libvirt-interface", "--host", "ghost"], 3, "host 'ghost' is not reserved"),
        ]
        try world.expectRefused(cases)
        #expect(FileSystem.readIfPresent(hostsFile) == before.0)
        #expect(try world.footprint() == before.1)
        #expect(try world.network("strict")["dnsmasq_pid"] == before.2)
    }

    @Test func aProfileCanServeEtcHostsAndEtcEthers() throws {
        let world = try VmnetWorld("he")
        try world.addProfile("classic", #"{"mode": "nat", "read_host_files": true}"#)
        // `ip netns exec` shows /etc/netns/NAME/hosts as /etc/hosts to what it starts.
        try FileSystem.writeAtomically("10.140.250.9 legacy\n", to: "/etc/netns/\(world.host)/hosts")
        try world.ok("create", "classic", "--profile", "classic")
        let config = FileSystem.readIfPresent(world.runDirectory + "/classic/dnsmasq.conf") ?? ""
        #expect(config.contains("read-ethers"))
        #expect(!config.contains("no-hosts"))
        let (client, _) = try world.leasedClient(on: "classic", hostname: "c")
        #expect(try world.sandbox.resolve(from: client, "legacy.classic.vmnet", server: try world.gateway("classic")) == IPv4Address("10.140.250.9"))
    }
}
