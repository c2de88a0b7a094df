import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// DHCP options and DNS records set with `vmnet set`, seen by real clients: busybox udhcpc
/// (options 121, 42, 119, `dhcp_options`, the boot file and its TFTP server), dig (A, AAAA,
/// SRV, CNAME, TXT, MX).
@Suite("DHCP and DNS options, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct DHCPOptionsTests {
    private func dnsmasqPid(_ world: VmnetWorld, _ name: String) throws -> Int? { try world.network(name)["dnsmasq_pid"]?.intValue }

    @Test func routesNTPAndSearchReachARenewingClientBySIGHUPAndAClearedKeyGoes() throws {
        let world = try VmnetWorld("dhcp-opt")
        try world.ok("create", "proj", "--subnet", "10.141.80.0/24")
        let asking = ["staticroutes", "search"]
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "web")
        #expect(lease.fields["staticroutes"] == "" && lease.fields["ntpsrv"] == "")
        // The first options name the options file in dnsmasq.conf: a restart.
        let first = try world.ok("set", "proj", "dhcp_ntp=192.0.2.123").standardOutput
        #expect(first.contains("proj: dhcp_ntp: none -> 192.0.2.123: dnsmasq restarted (leases kept)"), "\(first)")
        let pid = try dnsmasqPid(world, "proj")
        let more = try world.ok("set", "proj", "dhcp_routes=192.0.2.0/24,198.51.100.0/24 via 10.141.80.5", "dhcp_search=corp.example,lab.example").standardOutput
        #expect(more.contains("dhcp_routes: none -> 192.0.2.0/24,198.51.100.0/24 via 10.141.80.5: applied by SIGHUP"), "\(more)")
        #expect(more.contains("dhcp_search: none -> corp.example,lab.example: applied by SIGHUP"), "\(more)")
        #expect(try dnsmasqPid(world, "proj") == pid)
        let renewed = try #require(try world.sandbox.requestLease(in: client, hostname: "web", asking: asking))
        #expect(renewed.address == lease.address)
        // The default route travels with the classless ones (RFC 3442: option 3 is ignored then).
        #expect(renewed.fields["staticroutes"] == "192.0.2.0/24 10.141.80.1 198.51.100.0/24 10.141.80.5 0.0.0.0/0 10.141.80.1", "\(renewed.fields)")
        #expect(renewed.fields["ntpsrv"] == "192.0.2.123" && renewed.fields["search"] == "corp.example lab.example", "\(renewed.fields)")

        let cleared = try world.ok("set", "proj", "dhcp_ntp=").standardOutput
        #expect(cleared.contains("dhcp_ntp: 192.0.2.123 -> none: applied by SIGHUP"), "\(cleared)")
        let again = try #require(try world.sandbox.requestLease(in: client, hostname: "web", asking: asking))
        #expect(again.fields["ntpsrv"] == "" && again.fields["search"] == "corp.example lab.example", "\(again.fields)")
        #expect(try world.network("proj")["dnsmasq_pid"]?.intValue == pid)
    }

    @Test func everyRecordTypeResolvesFromAClient() throws {
        let world = try VmnetWorld("dhcp-dns")
        try world.ok("create", "proj")
        let gateway = try world.gateway("proj")
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "web")
        let records = "_http._tcp SRV 0 5 80 web;www CNAME web;info TXT hello world;proj MX 10 mail;mail A 192.0.2.25;mail AAAA 2001:db8::25;api A 192.0.2.80"
        let output = try world.ok("set", "proj", "dns_records=\(records)").standardOutput
        #expect(output.contains("dnsmasq restarted (leases kept)"), "\(output)")
        func dig(_ type: String, _ name: String) throws -> String {
            try world.sandbox.run(in: client, ["dig", "@\(gateway)", "+short", "+time=2", "+tries=1", type, name]).standardOutput
        }
        #expect(try dig("SRV", "_http._tcp.proj.vmnet") == "0 5 80 web.proj.vmnet.\n")
        #expect(try dig("A", "www.proj.vmnet") == "web.proj.vmnet.\n\(lease.address)\n")
        #expect(try dig("TXT", "info.proj.vmnet") == "\"hello world\"\n")
        #expect(try dig("MX", "proj.proj.vmnet") == "10 mail.proj.vmnet.\n")
        // Extra names: A and AAAA of one name, and a name with an address alone.
        #expect(try dig("A", "mail.proj.vmnet") == "192.0.2.25\n")
        #expect(try dig("AAAA", "mail.proj.vmnet") == "2001:db8::25\n")
        #expect(try dig("A", "api.proj.vmnet") == "192.0.2.80\n")
    }

    @Test func theEmbeddedOptionNamesAreTheInstalledDnsmasqs() throws {
        let help = try SpawnRunner().run(["dnsmasq", "--help", "dhcp"])
        #expect(help.succeeded)
        let installed = DnsmasqOptionNames.parse(help: help.standardOutput)
        #expect(installed.count > 50)
        #expect(installed.map { "\($0.number) \($0.name)" } == DnsmasqOptionNames.all.map { "\($0.number) \($0.name)" })
    }

    @Test func dhcpOptionsByNameAndNumberReachARenewingClientBySIGHUP() throws {
        let world = try VmnetWorld("dhcp-any")
        try world.ok("create", "proj", "--subnet", "10.141.82.0/24")
        let (client, _) = try world.leasedClient(on: "proj", hostname: "web")
        let first = try world.ok("set", "proj", "dhcp_options=ntp-server=192.0.2.123,192.0.2.124").standardOutput
        #expect(first.contains("proj: dhcp_options: none -> ntp-server=192.0.2.123,192.0.2.124: dnsmasq restarted (leases kept)"), "\(first)")
        let pid = try dnsmasqPid(world, "proj")
        let wpad = "http://wpad.corp.example/wpad.dat"
        let more = try world.ok("set", "proj", "dhcp_options=ntp-server=192.0.2.123,192.0.2.124;252=\(wpad);224=vmnet").standardOutput
        #expect(more.contains("applied by SIGHUP"), "\(more)")
        #expect(try dnsmasqPid(world, "proj") == pid)
        let renewed = try #require(try world.sandbox.requestLease(in: client, hostname: "web", asking: ["ntpsrv", "wpad", "224"]))
        #expect(renewed.fields["ntpsrv"] == "192.0.2.123 192.0.2.124", "\(renewed.fields)")
        #expect(renewed.fields["wpad"] == wpad, "\(renewed.fields)")
        // busybox names no option 224: it hands over the bytes in hex ("vmnet").
        #expect(renewed.fields["opt224"]?.lowercased() == "766d6e6574", "\(renewed.fields)")
        let show = try world.ok("show", "proj").standardOutput
        #expect(show.contains("dhcp options:  ntp-server=192.0.2.123,192.0.2.124;252=\(wpad);224=vmnet"), "\(show)")
        let refused = try world.vmnet("set", "proj", "dhcp_options=121=192.0.2.0/24,10.141.82.1")
        #expect(refused.status == 2 && refused.standardError.contains("option 121 (classless-static-route): use dhcp_routes"), "\(refused.standardError)")
    }

    /// One DHCPv4 lease by ISC dhclient, asking for the MTU, option 121, NTP and option 252:
    /// the variables its script got (`new_dhcp_lease_time`, `new_interface_mtu`…). The
    /// script only writes them down: it configures nothing and never touches resolv.conf.
    private func dhclientLease(in client: String, sandbox: Sandbox) throws -> [String: String] {
        let base = sandbox.directory + "/dhclient-\(client)"
        FileSystem.remove(base + ".env")
        let script = """
            #!/bin/sh
            case "$reason" in
            BOUND|RENEW|REBIND|REBOOT) env > "\(base).env" ;;
            esac
            exit 0

            """
        try FileSystem.writeAtomically(script, to: base + ".sh", mode: 0o755)
        try FileSystem.writeAtomically("""
            timeout 15;
            option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
            option wpad code 252 = text;
            request subnet-mask, routers, domain-name-servers, interface-mtu, rfc3442-classless-static-routes, ntp-servers, wpad;

            """, to: base + ".conf")
        let result = try sandbox.run(in: client, ["dhclient", "-1", "-cf", base + ".conf", "-lf", base + ".leases", "-pf", base + ".pid", "-sf", base + ".sh", "eth0"])
        // dhclient stays to renew the lease: stop it by its pid file.
        Self.stop(pidFile: base + ".pid")
        #expect(result.succeeded, "\(result.standardError)")
        var fields: [String: String] = [:]
        for line in (FileSystem.readIfPresent(base + ".env") ?? "").split(separator: "\n") {
            if let equals = line.firstIndex(of: "=") { fields[String(line[..<equals])] = String(line[line.index(after: equals)...]) }
        }
        return fields
    }

    @Test func dhclientSeesLeaseTimeMTURoutesNTPAndAnOptionAfterSet() throws {
        let world = try VmnetWorld("dhcp-isc")
        try world.ok("create", "proj", "--subnet", "10.141.83.0/24")
        let client = try world.sandbox.addClient(on: try world.bridge("proj"), in: world.host)
        let first = try dhclientLease(in: client, sandbox: world.sandbox)
        #expect(first["new_dhcp_lease_time"] == "3600" && first["new_interface_mtu"] == nil && first["new_ntp_servers"] == nil, "\(first)")
        let address = try #require(first["new_ip_address"])
        let wpad = "http://wpad.corp.example/wpad.dat"
        try world.ok("set", "proj", "lease_time=10m", "mtu=9000", "dhcp_routes=192.0.2.0/24", "dhcp_ntp=192.0.2.123", "dhcp_options=252=\(wpad)")
        let second = try dhclientLease(in: client, sandbox: world.sandbox)
        #expect(second["new_ip_address"] == address, "\(second)")
        #expect(second["new_dhcp_lease_time"] == "600" && second["new_interface_mtu"] == "9000", "\(second)")
        // 192.0.2.0/24 via the gateway, then the default route vmnet adds (RFC 3442 encoding).
        #expect(second["new_rfc3442_classless_static_routes"] == "24 192 0 2 10 141 83 1 0 10 141 83 1", "\(second)")
        #expect(second["new_ntp_servers"] == "192.0.2.123" && second["new_wpad"] == wpad, "\(second)")
    }

    @Test func aBootFileAndItsTFTPRootBootAClient() throws {
        let world = try VmnetWorld("dhcp-pxe")
        try world.ok("create", "proj")
        let gateway = try world.gateway("proj")
        let root = world.sandbox.directory + "/tftp"
        #expect(try world.vmnet("set", "proj", "dhcp_boot=boot.ipxe", "tftp_root=\(root)").status == 2)
        try FileSystem.makeDirectories(root)
        chmod(root, 0o755)
        try FileSystem.writeAtomically("#!ipxe\necho vmnet\n", to: root + "/boot.ipxe", mode: 0o644)
        let output = try world.ok("set", "proj", "dhcp_boot=boot.ipxe", "tftp_root=\(root)").standardOutput
        #expect(output.contains("dhcp_boot: none -> boot.ipxe: dnsmasq restarted (leases kept)"), "\(output)")
        let (client, lease) = try world.leasedClient(on: "proj", hostname: "pxe")
        #expect(lease.fields["boot_file"] == "boot.ipxe" && lease.fields["siaddr"] == gateway.description, "\(lease.fields)")
        let fetched = world.sandbox.directory + "/fetched.ipxe"
        let tftp = try world.sandbox.run(in: client, ["busybox", "tftp", "-g", "-r", "boot.ipxe", "-l", fetched, gateway.description])
        #expect(tftp.succeeded, "\(tftp.standardError)")
        #expect(FileSystem.readIfPresent(fetched) == "#!ipxe\necho vmnet\n")
    }

    @Test func badInputChangesNothing() throws {
        let world = try VmnetWorld("dhcp-bad")
        try world.ok("create", "proj", "--subnet", "10.141.81.0/24")
        try world.ok("set", "proj", "dhcp_ntp=192.0.2.123")
        let before = try world.footprint()
        let record = try world.network("proj")
        let options = FileSystem.readIfPresent(world.runDirectory + "/proj/dhcp-options")
        let config = try #require(FileSystem.readIfPresent(world.runDirectory + "/proj/dnsmasq.conf"))
        for argument in ["dhcp_routes=192.0.2.0/24 via 10.9.9.9", "dhcp_ntp=192.0.2.1\nserver=1.1.1.1", "dns_records=www CNAME",
                         "dns_records=info TXT \"x\"", "dhcp_boot=a,b", "tftp_root=/nonexistent/vmnet-tftp", "dhcp_search=#corp",
                         "dhcp_options=42=192.0.2.5\ndhcp-range=10.0.0.1,10.0.0.9", "dhcp_options=ntp-server=192.0.2.5", "dhcp_options=mtu=9000",
                         "dhcp_boot=a.efi\nenable-tftp", "dns_records=www CNAME web\naddress=/#/1.2.3.4"] {
            let result = try world.vmnet("set", "proj", argument)
            #expect(result.status == 2, "\(argument): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        #expect(try world.footprint() == before)
        #expect(try world.network("proj") == record)
        #expect(FileSystem.readIfPresent(world.runDirectory + "/proj/dhcp-options") == options)
        #expect(FileSystem.readIfPresent(world.runDirectory + "/proj/dnsmasq.conf") == config)
    }

    /// A real iPXE guest: qemu (TCG) with the e1000's iPXE ROM on a tap of the network's
    /// bridge boots from the network, gets boot.ipxe by TFTP, runs it, and it fetches a
    /// second script by TFTP. iPXE prints nothing on a serial console and dnsmasq logs to a
    /// syslog the sandbox does not have, so the proof is on the wire: a capture on the bridge
    /// holds the request for the second file and its contents coming back (6.7 s after qemu
    /// started, measured on 2 cores).
    @Test func anIPXEGuestBootsAndChainsASecondFileByTFTP() throws {
        let rom = "/usr/lib/ipxe/qemu/efi-e1000.rom"
        try #require(FileSystem.exists(rom) && ExecutableLocator.find("qemu-system-x86_64") != nil && ExecutableLocator.find("tcpdump") != nil,
                     "needs qemu-system-x86, ipxe-qemu and tcpdump: run scripts/install-deps --test")
        let world = try VmnetWorld("dhcp-ipxe")
        try world.ok("create", "proj", "--subnet", "10.141.84.0/24")
        let bridge = try world.bridge("proj")
        let directory = world.sandbox.directory
        let root = directory + "/tftp"
        try FileSystem.makeDirectories(root)
        chmod(root, 0o755)
        try FileSystem.writeAtomically("#!ipxe\nchain tftp://${next-server}/second.ipxe\n", to: root + "/boot.ipxe", mode: 0o644)
        try FileSystem.writeAtomically("#!ipxe\necho vmnet-second-stage\nsleep 600\n", to: root + "/second.ipxe", mode: 0o644)
        try world.ok("set", "proj", "dhcp_boot=boot.ipxe", "tftp_root=\(root)")
        try world.inHost("ip", "tuntap", "add", "dev", "pxe0", "mode", "tap").requireSuccess("adding the guest's tap")
        try world.inHost("ip", "link", "set", "pxe0", "master", bridge, "up").requireSuccess("putting the tap on the bridge")

        let capture = directory + "/tftp.pcap"
        _ = try world.sandbox.runner.run(["sh", "-c", "ip netns exec \(world.host) tcpdump -i \(bridge) -n -U -w \(capture) udp >/dev/null 2>&1 & echo $! > \(directory)/tcpdump.pid"])
        defer { Self.stop(pidFile: directory + "/tcpdump.pid") }
        usleep(500_000)
        let mac = "52:54:00:84:00:01"
        let qemu = try world.inHost(
            "qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-m", "64", "-boot", "n", "-netdev", "tap,id=n0,ifname=pxe0,script=no,downscript=no",
            "-device", "e1000,netdev=n0,mac=\(mac),romfile=\(rom)", "-daemonize", "-pidfile", directory + "/qemu.pid")
        defer { Self.stop(pidFile: directory + "/qemu.pid") }
        #expect(qemu.succeeded, "\(qemu.standardError)")
        let start = ContinuousClock.now
        func seen() throws -> String { try world.sandbox.runner.run(["tcpdump", "-r", capture, "-n", "-A"]).standardOutput }
        var wire = ""
        while ContinuousClock.now - start < .seconds(60) {
            wire = try seen()
            if wire.contains("vmnet-second-stage") { break }
            usleep(500_000)
        }
        #expect(wire.contains("boot.ipxe") && wire.contains("second.ipxe") && wire.contains("vmnet-second-stage"), "\(wire.suffix(3000))")
        let leases = FileSystem.readIfPresent(world.stateDirectory + "/networks/proj/leases") ?? ""
        #expect(leases.contains(mac), "\(leases)")
    }

    /// Stops a process this test started, by the pid file it wrote.
    private static func stop(pidFile: String) {
        if let pid = FileSystem.readIfPresent(pidFile).flatMap({ pid_t($0.filter { !$0.isWhitespace }) }), pid > 1 { kill(pid, SIGTERM) }
    }
}
