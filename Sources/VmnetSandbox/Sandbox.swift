import Glibc
import VmnetCore
import VmnetShell

/// A throwaway world of network namespaces for the selftest and end-to-end tests: a "host"
/// namespace where vmnet runs with temporary state, an "uplink" standing in for the
/// internet (with no route out of it), and client namespaces. Nothing it does touches the
/// root namespace; `tearDown()` kills what runs inside its namespaces and deletes them.
public final class Sandbox {
    /// Documentation ranges (RFC 5737) for the fake internet.
    public static let hostUplinkAddress = IPv4Address("198.51.100.1")!
    public static let uplinkAddress = IPv4Address("198.51.100.2")!
    public static let fakeAnswer = IPv4Address("203.0.113.7")!
    public static let fakeDomain = "example.test"

    public let runner: CommandRunner
    public let directory: String
    public let tag: String
    public private(set) var namespaces: [String] = []
    private var startedPids: [pid_t] = []
    private var clientCount = 0
    private var resolverDirectories: [String] = []

    public init(tag: String, runner: CommandRunner = SpawnRunner()) throws(VmnetError) {
        self.runner = runner
        self.tag = "\(tag)\(getpid() % 100000)"
        var template = Array("/tmp/vmnet-sandbox-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw .failed("creating a sandbox directory: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        // dnsmasq drops to 'nobody' and must still read its host lists here.
        chmod(directory, 0o755)
    }

    deinit { tearDown() }

    // MARK: namespaces

    /// Creates a namespace named after the sandbox and `role`, with loopback up.
    @discardableResult
    public func addNamespace(_ role: String) throws(VmnetError) -> String {
        let name = "\(tag)-\(role)"
        try runner.check(["ip", "netns", "add", name], doing: "creating namespace \(name)")
        namespaces.append(name)
        try runner.check(["ip", "-n", name, "link", "set", "lo", "up"], doing: "raising loopback in \(name)")
        return name
    }

    /// Runs a program inside a namespace.
    @discardableResult
    public func run(in namespace: String, _ arguments: [String], environment: [String: String] = [:]) throws(VmnetError) -> ProcessResult {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let prefix = ["ip", "netns", "exec", namespace] + (assignments.isEmpty ? [] : ["env"] + assignments)
        return try runner.run(prefix + arguments)
    }

    /// Links `host` to a new `uplink` namespace: 198.51.100.1 ↔ .2, with the host's default
    /// route pointing at the uplink. The uplink itself gets no default route, so no packet
    /// can leave the sandbox.
    public func addUplink(host: String, uplink role: String = "up") throws(VmnetError) -> String {
        let uplink = try addNamespace(role)
        try runner.check(["ip", "-n", host, "link", "add", "h-up", "type", "veth", "peer", "name", "up0", "netns", uplink],
                         doing: "linking \(host) to \(uplink)")
        try runner.check(["ip", "-n", host, "address", "add", "\(Sandbox.hostUplinkAddress)/24", "dev", "h-up"], doing: "addressing h-up")
        try runner.check(["ip", "-n", host, "link", "set", "h-up", "up"], doing: "raising h-up")
        try runner.check(["ip", "-n", uplink, "address", "add", "\(Sandbox.uplinkAddress)/24", "dev", "up0"], doing: "addressing up0")
        try runner.check(["ip", "-n", uplink, "link", "set", "up0", "up"], doing: "raising up0")
        try runner.check(["ip", "-n", host, "route", "add", "default", "via", "\(Sandbox.uplinkAddress)"], doing: "routing \(host) to the uplink")
        return uplink
    }

    /// Gives a namespace its own /etc/resolv.conf (`ip netns exec` bind-mounts
    /// /etc/netns/NAME/ over /etc).
    public func setResolver(of namespace: String, nameservers: [IPv4Address]) throws(VmnetError) {
        let directory = "/etc/netns/\(namespace)"
        try FileSystem.makeDirectories(directory)
        resolverDirectories.append(directory)
        try FileSystem.writeAtomically(nameservers.map { "nameserver \($0)\n" }.joined(), to: directory + "/resolv.conf")
    }

    /// Every query the fake upstream DNS received, one line each (dnsmasq's log).
    public var upstreamQueryLog: String { directory + "/upstream-queries.log" }

    /// Starts a DNS server on the uplink that answers `*.example.test` with 203.0.113.7 and
    /// logs every query to `upstreamQueryLog`.
    public func startFakeUpstreamDNS(in uplink: String) throws(VmnetError) {
        let pidFile = directory + "/upstream-dns.pid"
        try run(in: uplink, [
            "dnsmasq", "--bind-interfaces", "--listen-address=\(Sandbox.uplinkAddress)", "--except-interface=lo",
            "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--address=/\(Sandbox.fakeDomain)/\(Sandbox.fakeAnswer)",
            "--pid-file=\(pidFile)", "--log-queries", "--log-facility=\(upstreamQueryLog)",
        ]).requireSuccess("starting the fake upstream DNS")
        if let pid = FileSystem.readIfPresent(pidFile).flatMap({ pid_t($0.filter { !$0.isWhitespace }) }) { startedPids.append(pid) }
    }

    /// A new client namespace whose eth0 is a port of `bridge` in `host`.
    public func addClient(on bridge: String, in host: String, mac: String? = nil) throws(VmnetError) -> String {
        clientCount += 1
        let client = try addNamespace("c\(clientCount)")
        let port = "p\(clientCount)-\(getpid() % 10000)"
        var add = ["ip", "-n", host, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", client]
        if let mac { add += ["address", mac] }
        try runner.check(add, doing: "adding client \(client)")
        try runner.check(["ip", "-n", host, "link", "set", port, "master", bridge, "up"], doing: "attaching \(client) to \(bridge)")
        try runner.check(["ip", "-n", client, "link", "set", "eth0", "up"], doing: "raising eth0 in \(client)")
        return client
    }

    // MARK: clients

    /// What udhcpc was told.
    public struct Lease: Sendable {
        public let address: IPv4Address
        public let router: IPv4Address?
        public let mtu: Int?
        /// Seconds, as the server granted them.
        public let leaseTime: Int?
        /// Every variable the script saw, by udhcpc's names (`staticroutes`, `ntpsrv`, `search`, `boot_file`…).
        public let fields: [String: String]
    }

    /// Runs busybox udhcpc on the client's eth0; nil when no lease came.
    /// `asking` names options udhcpc requests beyond its defaults (`staticroutes`, `search`).
    public func requestLease(in client: String, hostname: String, asking: [String] = []) throws(VmnetError) -> Lease? {
        let script = try dhcpScript()
        let output = directory + "/lease-\(client)"
        FileSystem.remove(output)
        let requests = asking.flatMap { ["-O", $0] }
        let result = try run(in: client, ["busybox", "udhcpc", "-i", "eth0", "-s", script, "-x", "hostname:\(hostname)"] + requests + ["-q", "-f", "-n", "-t", "5", "-T", "1"],
                             environment: ["VMNET_LEASE_OUT": output])
        guard result.succeeded, let text = FileSystem.readIfPresent(output) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if let equals = line.firstIndex(of: "=") { fields[String(line[..<equals])] = String(line[line.index(after: equals)...]) }
        }
        guard let address = fields["ip"].flatMap({ IPv4Address($0) }) else { return nil }
        return Lease(address: address, router: fields["router"].flatMap { IPv4Address($0.split(separator: " ").first ?? "") },
                     mtu: fields["mtu"].flatMap { Int($0) }, leaseTime: fields["lease"].flatMap { Int($0) }, fields: fields)
    }

    /// True when one ping from the client gets an answer.
    public func ping(from client: String, _ address: IPv4Address) throws(VmnetError) -> Bool {
        try run(in: client, ["busybox", "ping", "-c", "1", "-W", "1", address.description]).succeeded
    }

    /// Resolves `name` through `server` from the client; nil when it does not resolve.
    public func resolve(from client: String, _ name: String, server: IPv4Address) throws(VmnetError) -> IPv4Address? {
        let result = try run(in: client, ["busybox", "nslookup", "-type=a", name, server.description])
        guard result.succeeded else { return nil }
        // The answer follows the "Name:" line; the lines before it describe the server.
        let lines = result.standardOutput.split(separator: "\n")
        guard let nameLine = lines.firstIndex(where: { $0.hasPrefix("Name:") }) else { return nil }
        for line in lines[nameLine...] where line.hasPrefix("Address") {
            if let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last, let address = IPv4Address(word) { return address }
        }
        return nil
    }

    private func dhcpScript() throws(VmnetError) -> String {
        let path = directory + "/udhcpc.sh"
        if FileSystem.exists(path) { return path }
        let script = """
            #!/bin/sh
            # udhcpc calls this with the lease in its environment; Debian's busybox ships none.
            case "$1" in
            bound|renew)
                ip address flush dev "$interface"
                ip address add "$ip/$mask" dev "$interface"
                if [ -n "$router" ]; then ip route replace default via "${router%% *}" dev "$interface"; fi
                printf 'ip=%s\\nrouter=%s\\nmtu=%s\\ndns=%s\\nlease=%s\\n' "$ip" "$router" "$mtu" "$dns" "$lease" > "$VMNET_LEASE_OUT"
                printf 'staticroutes=%s\\nntpsrv=%s\\nsearch=%s\\nboot_file=%s\\nsiaddr=%s\\n' "$staticroutes" "$ntpsrv" "$search" "$boot_file" "$siaddr" >> "$VMNET_LEASE_OUT"
                env | grep -E '^(wpad|opt[0-9]+)=' >> "$VMNET_LEASE_OUT"
                ;;
            esac
            exit 0

            """
        try FileSystem.writeAtomically(script, to: path, mode: 0o755)
        return path
    }

    // MARK: cleanup

    /// Kills every process still inside the sandbox's namespaces (all started by it or by the
    /// vmnet it ran), deletes the namespaces and the files. Safe to call twice.
    public func tearDown() {
        for pid in startedPids where pid > 0 { kill(pid, SIGTERM) }
        startedPids = []
        for namespace in namespaces.reversed() {
            if let result = try? runner.run(["ip", "netns", "pids", namespace]) {
                for word in result.standardOutput.split(whereSeparator: \.isWhitespace) {
                    if let pid = pid_t(word), pid > 1 { kill(pid, SIGKILL) }
                }
            }
            _ = try? runner.run(["ip", "netns", "delete", namespace])
        }
        namespaces = []
        for directory in resolverDirectories { FileSystem.removeTree(directory) }
        resolverDirectories = []
        FileSystem.removeTree(directory)
    }
}

extension ProcessResult {
    /// Turns a failed helper command into an error naming what it was for.
    @discardableResult
    public func requireSuccess(_ doing: String) throws(VmnetError) -> ProcessResult {
        guard succeeded else { throw .failed("\(doing): \(arguments.joined(separator: " ")): \(failureSummary)") }
        return self
    }
}
