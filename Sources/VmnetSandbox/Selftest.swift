import Glibc
import JSON
import VmnetCore
import VmnetShell

/// `vmnet selftest`: proves on this machine, inside a sandbox of namespaces, that a NAT and a
/// host-only network work: leases, names, upstream DNS, NAT out, host-only and isolation,
/// and IPv6 by router advertisement.
/// The checks are a table of names and closures, run in order; the first failure stops it.
public struct Selftest {
    public let vmnetExecutable: String
    public let report: (String) -> Void

    public init(vmnetExecutable: String, report: @escaping (String) -> Void) {
        self.vmnetExecutable = vmnetExecutable
        self.report = report
    }

    public static let requiredPrograms = ["ip", "dnsmasq", "busybox"]

    /// Runs every check; returns the number of checks, or throws at the first failure.
    public func run() throws(VmnetError) -> Int {
        for program in Selftest.requiredPrograms { _ = try ExecutableLocator.require(program) }
        if ExecutableLocator.find("nft") == nil && ExecutableLocator.find("iptables") == nil { throw ExecutableLocator.missing("nft") }
        if geteuid() != 0 { throw VmnetError(.missingDependency, "selftest creates network namespaces: run it as root") }

        let started = Self.milliseconds()
        var passed = 0
        let sandbox = try Sandbox(tag: "vst")
        defer { sandbox.tearDown() }

        func step(_ title: String, _ body: () throws(VmnetError) -> String) throws(VmnetError) {
            let begin = Self.milliseconds()
            let detail = try body()
            passed += 1
            report(String(format4(Self.milliseconds() - begin)) + "  ok  \(title)" + (detail.isEmpty ? "" : ": \(detail)"))
        }

        var host = "", natClient = "", hostOnlyClient = ""
        var nat: (bridge: String, gateway: IPv4Address, gateway6: IPv6Address?) = ("", IPv4Address(0), nil)
        var hostOnly = nat
        var natLease: IPv4Address = IPv4Address(0), hostOnlyLease = IPv4Address(0)
        let environment = [
            "VMNET_STATE_DIR": sandbox.directory + "/state", "VMNET_RUN_DIR": sandbox.directory + "/run",
            "VMNET_CONFIG_DIR": sandbox.directory + "/etc", "VMNET_NM_CONF_DIR": sandbox.directory + "/NetworkManager/conf.d",
        ]
        func vmnet(_ arguments: [String]) throws(VmnetError) -> ProcessResult {
            try sandbox.run(in: host, [vmnetExecutable] + arguments, environment: environment)
                .requireSuccess("vmnet \(arguments.joined(separator: " "))")
        }
        func network(_ name: String) throws(VmnetError) -> (bridge: String, gateway: IPv4Address, gateway6: IPv6Address?) {
            let output = try vmnet(["show", name, "--json"]).standardOutput
            let shown: JSONValue
            do { shown = try JSONCodec.parse(output, source: "vmnet show \(name) --json") } catch {
                throw .failed("reading network \(name) from 'vmnet show --json': \(error)")
            }
            guard let bridge = shown["bridge"]?.stringValue, let gateway = shown["gateway"]?.stringValue.flatMap({ IPv4Address($0) }) else {
                throw .failed("reading network \(name) from 'vmnet show --json': no bridge or gateway")
            }
            return (bridge, gateway, shown["gateway6"]?.stringValue.flatMap { IPv6Address($0) })
        }
        /// The client's global, non-tentative IPv6 address in the gateway's /64, polled for up
        /// to 10 s: the client solicits a router once its link-local leaves DAD (about 1 s).
        func slaacAddress(_ client: String, near gateway: IPv6Address) throws(VmnetError) -> IPv6Address? {
            let subnet = IPv6Subnet(containing: gateway, prefixLength: AddressPlan6.prefixLength)
            for _ in 0..<100 {
                let output = try sandbox.run(in: client, ["ip", "-6", "-o", "address", "show", "dev", "eth0", "scope", "global", "-tentative"]).standardOutput
                for word in output.split(separator: " ") where word.contains("/") {
                    if let address = IPv6Address(word.split(separator: "/")[0]), subnet.contains(address) { return address }
                }
                usleep(100_000)
            }
            return nil
        }
        var natClient6 = "", hostOnlyClient6 = ""
        var hostOnlyAddress6 = IPv6Address(high: 0, low: 0)

        let checks: [(name: String, run: () throws(VmnetError) -> String)] = [
            ("sandbox: host, uplink with fake DNS and no route out", { () throws(VmnetError) -> String in
                host = try sandbox.addNamespace("host")
                let uplink = try sandbox.addUplink(host: host)
                try sandbox.startFakeUpstreamDNS(in: uplink)
                try sandbox.setResolver(of: host, nameservers: [Sandbox.uplinkAddress])
                return "namespaces \(sandbox.namespaces.joined(separator: ", "))"
            }),
            ("create a NAT network", { () throws(VmnetError) -> String in
                _ = try vmnet(["create", "st-nat"])
                nat = try network("st-nat")
                return "\(nat.bridge), gateway \(nat.gateway)"
            }),
            ("create a host-only network", { () throws(VmnetError) -> String in
                _ = try vmnet(["create", "st-ho", "--profile", "host-only"])
                hostOnly = try network("st-ho")
                return "\(hostOnly.bridge), gateway \(hostOnly.gateway)"
            }),
            ("NAT client gets a DHCP lease", { () throws(VmnetError) -> String in
                natClient = try sandbox.addClient(on: nat.bridge, in: host)
                guard let lease = try sandbox.requestLease(in: natClient, hostname: "natbox") else { throw .failed("the NAT client got no DHCP lease") }
                guard lease.router == nat.gateway else { throw .failed("the NAT client's router is \(lease.router.map(\.description) ?? "none"), not \(nat.gateway)") }
                natLease = lease.address
                return "\(lease.address) via \(nat.gateway)"
            }),
            ("host-only client gets a DHCP lease without a router", { () throws(VmnetError) -> String in
                hostOnlyClient = try sandbox.addClient(on: hostOnly.bridge, in: host)
                guard let lease = try sandbox.requestLease(in: hostOnlyClient, hostname: "hobox") else { throw .failed("the host-only client got no DHCP lease") }
                guard lease.router == nil else { throw .failed("the host-only client was given router \(lease.router!)") }
                hostOnlyLease = lease.address
                return "\(lease.address)"
            }),
            ("a client's name resolves through its gateway", { () throws(VmnetError) -> String in
                let name = "natbox.st-nat.vmnet"
                guard let answer = try sandbox.resolve(from: natClient, name, server: nat.gateway), answer == natLease else {
                    throw .failed("\(name) did not resolve to \(natLease) through \(nat.gateway)")
                }
                return "\(name) = \(answer)"
            }),
            ("an upstream name resolves through the gateway", { () throws(VmnetError) -> String in
                let name = "www.\(Sandbox.fakeDomain)"
                guard let answer = try sandbox.resolve(from: natClient, name, server: nat.gateway), answer == Sandbox.fakeAnswer else {
                    throw .failed("\(name) did not resolve to \(Sandbox.fakeAnswer) through \(nat.gateway)")
                }
                return "\(name) = \(answer)"
            }),
            ("the NAT client reaches the uplink", { () throws(VmnetError) -> String in
                guard try sandbox.ping(from: natClient, Sandbox.uplinkAddress) else { throw .failed("the NAT client cannot reach \(Sandbox.uplinkAddress)") }
                return "\(Sandbox.uplinkAddress) answers"
            }),
            ("the host-only client does not reach the uplink, even routed via its gateway", { () throws(VmnetError) -> String in
                // DHCP gave it no router; add one so that the firewall, not a missing route, is tested.
                try sandbox.run(in: hostOnlyClient, ["ip", "route", "replace", "default", "via", hostOnly.gateway.description])
                    .requireSuccess("routing the host-only client via its gateway")
                guard try !sandbox.ping(from: hostOnlyClient, Sandbox.uplinkAddress) else { throw .failed("the host-only client reached \(Sandbox.uplinkAddress)") }
                return ""
            }),
            ("clients of the two networks cannot reach each other", { () throws(VmnetError) -> String in
                if try sandbox.ping(from: natClient, hostOnlyLease) { throw .failed("the NAT client reached the host-only client") }
                if try sandbox.ping(from: hostOnlyClient, natLease) { throw .failed("the host-only client reached the NAT client") }
                return ""
            }),
            ("IPv6 by router advertisement: NAT client with a default route, host-only without", { () throws(VmnetError) -> String in
                guard let natGateway6 = nat.gateway6, let hostOnlyGateway6 = hostOnly.gateway6 else {
                    throw .failed("network \(nat.gateway6 == nil ? "st-nat" : "st-ho") has no IPv6 gateway: is IPv6 off in its profile?")
                }
                // Fresh clients: udhcpc's script flushes every address of its interface.
                natClient6 = try sandbox.addClient(on: nat.bridge, in: host)
                hostOnlyClient6 = try sandbox.addClient(on: hostOnly.bridge, in: host)
                guard let natAddress = try slaacAddress(natClient6, near: natGateway6) else { throw .failed("the NAT client got no IPv6 address by SLAAC") }
                guard let hostOnlyAddress = try slaacAddress(hostOnlyClient6, near: hostOnlyGateway6) else {
                    throw .failed("the host-only client got no IPv6 address by SLAAC")
                }
                hostOnlyAddress6 = hostOnlyAddress
                let natDefault = try sandbox.run(in: natClient6, ["ip", "-6", "route", "show", "default"]).standardOutput
                guard natDefault.contains("via fe80:") else { throw .failed("the NAT client learned no IPv6 default route") }
                let hostOnlyDefault = try sandbox.run(in: hostOnlyClient6, ["ip", "-6", "route", "show", "default"]).standardOutput
                guard hostOnlyDefault.isEmpty else { throw .failed("the host-only client was given an IPv6 default route: \(hostOnlyDefault)") }
                guard try sandbox.run(in: natClient6, ["busybox", "ping", "-6", "-c", "1", "-W", "1", natGateway6.description]).succeeded else {
                    throw .failed("the NAT client cannot reach its IPv6 gateway \(natGateway6)")
                }
                return "\(natAddress) and \(hostOnlyAddress)"
            }),
            ("clients of the two networks cannot reach each other over IPv6", { () throws(VmnetError) -> String in
                if try sandbox.run(in: natClient6, ["busybox", "ping", "-6", "-c", "1", "-W", "1", hostOnlyAddress6.description]).succeeded {
                    throw .failed("the NAT client reached the host-only client over IPv6")
                }
                return ""
            }),
            ("destroy leaves no bridge, rule or dnsmasq", { () throws(VmnetError) -> String in
                _ = try vmnet(["destroy", "st-nat", "st-ho"])
                let links = try sandbox.run(in: host, ["ip", "-o", "link", "show"]).standardOutput
                if links.contains(nat.bridge) || links.contains(hostOnly.bridge) { throw .failed("a bridge is left after destroy") }
                if ExecutableLocator.find("nft") != nil, try sandbox.run(in: host, ["nft", "list", "table", "inet", "vmnet"]).succeeded {
                    throw .failed("the nftables table is left after destroy")
                }
                let pids = try sandbox.runner.run(["ip", "netns", "pids", host]).standardOutput
                if !pids.split(whereSeparator: \.isWhitespace).isEmpty { throw .failed("processes are left in the host namespace: \(pids)") }
                return ""
            }),
        ]
        for check in checks { try step(check.name, check.run) }
        report("selftest passed: \(passed) checks in \(Self.milliseconds() - started) ms")
        return passed
    }

    static func milliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }

    private func format4(_ milliseconds: Int) -> String {
        let text = "\(milliseconds) ms"
        return String(repeating: " ", count: max(0, 8 - text.count)) + text
    }
}
