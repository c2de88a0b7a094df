import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// Real IPv6 clients in a client namespace: the kernel's SLAAC (accept_ra is 1 and forwarding
/// 0 in a new namespace), ISC dhclient -6, dhcpcd, rdisc6 and dig.
enum IPv6Clients {
    /// Fails (never skips) when a client program is missing.
    static func require(_ programs: [String]) throws {
        let missing = programs.filter { ExecutableLocator.find($0) == nil }
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test")
    }

    /// The client's addresses in `subnet` on eth0 with their prefix length (64 for SLAAC,
    /// 128 for a DHCPv6 lease).
    static func addresses(in client: String, subnet: IPv6Subnet, sandbox: Sandbox) throws -> [(address: IPv6Address, prefix: Int)] {
        let output = try sandbox.run(in: client, ["ip", "-6", "-o", "address", "show", "dev", "eth0", "scope", "global"]).standardOutput
        return output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(of: "inet6"), index + 1 < words.count else { return nil }
            let parts = words[index + 1].split(separator: "/")
            guard parts.count == 2, let address = IPv6Address(parts[0]), let prefix = Int(parts[1]), subnet.contains(address) else { return nil }
            return (address, prefix)
        }
    }

    /// Waits (bounded) for the kernel's SLAAC address in `subnet` to pass duplicate address
    /// detection: the client's link-local address passes it (~1 s) before the client solicits
    /// a router, the SLAAC address ~1 s after the advertisement. Clients cannot send from a
    /// tentative address (rdisc6 and dhclient fail at once with "Cannot assign requested address").
    static func slaacAddress(in client: String, subnet: IPv6Subnet, sandbox: Sandbox) throws -> IPv6Address? {
        for _ in 0..<100 {
            if let found = try addresses(in: client, subnet: subnet, sandbox: sandbox).first(where: { $0.prefix == subnet.prefixLength }),
               try settled(client, sandbox: sandbox)
            {
                return found.address
            }
            usleep(100_000)
        }
        return nil
    }

    /// True when no IPv6 address of the client's eth0 is tentative.
    static func settled(_ client: String, sandbox: Sandbox) throws -> Bool {
        let output = try sandbox.run(in: client, ["ip", "-6", "-o", "address", "show", "dev", "eth0"]).standardOutput
        return output.contains("inet6 fe80:") && !output.contains("tentative")
    }

    /// The client's IPv6 default routes (`ip -6 route show default`), one a line.
    static func defaultRoutes(in client: String, sandbox: Sandbox) throws -> [String] {
        try sandbox.run(in: client, ["ip", "-6", "route", "show", "default"]).standardOutput.split(separator: "\n").map(String.init)
    }

    /// One router solicitation by rdisc6: the advertisement it printed, or nil when none came.
    static func solicit(in client: String, sandbox: Sandbox) throws -> String? {
        for _ in 0..<50 where try !settled(client, sandbox: sandbox) { usleep(100_000) }
        let result = try sandbox.run(in: client, ["rdisc6", "-1", "-w", "1000", "-r", "3", "eth0"])
        // 2 is "No response" after the three solicitations; anything else is a failure to ask.
        try #require(result.succeeded || result.status == 2, "rdisc6: \(result.standardError)")
        return result.succeeded ? result.standardOutput : nil
    }

    /// A DHCPv6 lease by ISC dhclient -6, which sends `hostname` as its FQDN option and a
    /// DUID-LLT made of eth0's MAC. Its script only adds the address (never resolv.conf).
    static func dhclient(in client: String, hostname: String, sandbox: Sandbox) throws -> IPv6Address? {
        let base = sandbox.directory + "/dhclient6-\(client)"
        let script = """
            #!/bin/sh
            case "$reason" in
            BOUND6|RENEW6|REBIND6) ip -6 address replace "$new_ip6_address/128" dev "$interface" && echo "$new_ip6_address" > "\(base).address" ;;
            esac
            exit 0

            """
        try FileSystem.writeAtomically(script, to: base + ".sh", mode: 0o755)
        try FileSystem.writeAtomically("timeout 15;\nsend fqdn.fqdn \"\(hostname)\";\n", to: base + ".conf")
        let result = try sandbox.run(in: client, ["dhclient", "-6", "-1", "-cf", base + ".conf", "-lf", base + ".leases", "-pf", base + ".pid",
                                                  "-sf", base + ".sh", "eth0"])
        // dhclient stays to renew the lease: stop it by its pid file.
        if let pid = FileSystem.readIfPresent(base + ".pid").flatMap({ pid_t($0.filter { !$0.isWhitespace }) }), pid > 1 { kill(pid, SIGTERM) }
        guard result.succeeded else { return nil }
        return FileSystem.readIfPresent(base + ".address").flatMap { IPv6Address($0.filter { !$0.isWhitespace }) }
    }

    /// A DHCPv6 lease by dhcpcd, which keeps its DUID and leases under /var/lib/dhcpcd and its
    /// sockets under /run: both are private mounts here. `-1` exits once the lease is bound.
    static func dhcpcd(in client: String, hostname: String, subnet: IPv6Subnet, sandbox: Sandbox) throws -> IPv6Address? {
        let base = sandbox.directory + "/dhcpcd-\(client)"
        try FileSystem.makeDirectories(base + "-db")
        try FileSystem.writeAtomically("duid\nipv6only\nnoipv6rs\nhostname \(hostname)\nfqdn both\ninterface eth0\nia_na 1\n", to: base + ".conf")
        let script = """
            mount -t tmpfs tmpfs /run && mkdir -p /var/lib/dhcpcd && mount --bind "\(base)-db" /var/lib/dhcpcd &&
            exec timeout 20 dhcpcd -f "\(base).conf" -6 -1 -B -c /bin/true eth0
            """
        let result = try sandbox.run(in: client, ["unshare", "-m", "--propagation", "private", "sh", "-c", script])
        guard result.succeeded else { return nil }
        return try addresses(in: client, subnet: subnet, sandbox: sandbox).first { $0.prefix == 128 }?.address
    }

    /// `dig +short` from the client through `server`: the answer's lines.
    static func dig(from client: String, _ query: [String], server: IPv6Address, sandbox: Sandbox) throws -> [String] {
        let result = try sandbox.run(in: client, ["dig", "+short", "+time=1", "+tries=2"] + query + ["@\(server)"])
        return result.standardOutput.split(separator: "\n").map(String.init)
    }
}
