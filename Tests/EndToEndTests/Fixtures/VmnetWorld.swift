import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// One test's sandbox: a host namespace where vmnet runs with its own state, an uplink with
/// a fake DNS server, and helpers to run vmnet and inspect the result.
final class VmnetWorld {
    let sandbox: Sandbox
    let host: String
    let uplink: String
    let environment: [String: String]
    /// False for a world on a `SharedHost`, whose sandbox outlives it.
    private let ownsSandbox: Bool

    init(_ tag: String) throws {
        (sandbox, host, uplink) = try SharedHost.makeSandbox(tag)
        environment = [
            "VMNET_STATE_DIR": sandbox.directory + "/state", "VMNET_RUN_DIR": sandbox.directory + "/run",
            "VMNET_CONFIG_DIR": sandbox.directory + "/etc",
            // `install --podman/--cni` also installs an OCI hook: never in the machine's podman.
            "VMNET_HOOKS_DIR": sandbox.directory + "/hooks",
            // Never the desktop's NetworkManager: no such directory, so no drop-in and no reload.
            "VMNET_NM_CONF_DIR": sandbox.directory + "/NetworkManager/conf.d",
        ]
        ownsSandbox = true
    }

    /// A world of its own state in an existing host namespace (see SharedHost).
    init(sandbox: Sandbox, host: String, uplink: String, stateTag: String, environment extra: [String: String] = [:]) {
        self.sandbox = sandbox
        self.host = host
        self.uplink = uplink
        let base = sandbox.directory + "/" + stateTag
        environment = ["VMNET_STATE_DIR": base + "/state", "VMNET_RUN_DIR": base + "/run", "VMNET_CONFIG_DIR": base + "/etc",
                       "VMNET_HOOKS_DIR": base + "/hooks", "VMNET_NM_CONF_DIR": base + "/NetworkManager/conf.d"].merging(extra) { $1 }
        ownsSandbox = false
    }

    deinit { if ownsSandbox { sandbox.tearDown() } }

    var stateDirectory: String { environment["VMNET_STATE_DIR"]! }
    var runDirectory: String { environment["VMNET_RUN_DIR"]! }

    /// Runs vmnet in the host namespace.
    @discardableResult
    func vmnet(_ arguments: String..., environment extra: [String: String] = [:]) throws -> ProcessResult {
        try vmnet(arguments, environment: extra)
    }

    @discardableResult
    func vmnet(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessResult {
        // A hardened root's umask, when the test asks for one, applies to every vmnet command.
        let command = umask.map { ["sh", "-c", "umask \($0) && exec \"$0\" \"$@\"", EndToEnd.binary] } ?? [EndToEnd.binary]
        return try sandbox.run(in: host, command + arguments, environment: environment.merging(extra) { $1 })
    }

    /// The umask vmnet runs under (e.g. "077"); nil keeps the test process's.
    var umask: String?

    /// Runs vmnet, expecting success.
    @discardableResult
    func ok(_ arguments: String...) throws -> ProcessResult {
        let result = try vmnet(arguments)
        #expect(result.status == 0, "vmnet \(arguments.joined(separator: " ")) failed: \(result.standardError)")
        try #require(result.succeeded)
        return result
    }

    /// `vmnet show NAME --json`.
    func network(_ name: String) throws -> JSONValue {
        try JSONCodec.parse(try ok("show", name, "--json").standardOutput, source: "vmnet show")
    }

    /// `vmnet doctor NAME --json`: the exit status, and the status and detail of each check.
    func doctor(_ name: String) throws -> (status: Int32, checks: [String: String], details: [String: String]) {
        let result = try vmnet("doctor", name, "--json")
        let findings = try JSONCodec.parse(result.standardOutput, source: "vmnet doctor").arrayValue ?? []
        var checks: [String: String] = [:]
        var details: [String: String] = [:]
        for finding in findings {
            let check = finding["check"]?.stringValue ?? "?"
            checks[check] = finding["status"]?.stringValue
            details[check] = finding["detail"]?.stringValue
        }
        return (result.status, checks, details)
    }

    func networks() throws -> [JSONValue] {
        try JSONCodec.parse(try ok("list", "--json").standardOutput, source: "vmnet list").arrayValue ?? []
    }

    func gateway(_ name: String) throws -> IPv4Address {
        try #require(try network(name)["gateway"]?.stringValue.flatMap { IPv4Address($0) })
    }

    /// The network's IPv6 gateway, nil when IPv6 is off for it.
    func gateway6(_ name: String) throws -> IPv6Address? {
        try network(name)["gateway6"]?.stringValue.flatMap { IPv6Address($0) }
    }

    func bridge(_ name: String) throws -> String {
        try #require(try network(name)["bridge"]?.stringValue)
    }

    /// A client on the network's bridge with a DHCP lease.
    func leasedClient(on name: String, hostname: String, mac: String? = nil) throws -> (namespace: String, lease: Sandbox.Lease) {
        let client = try sandbox.addClient(on: try bridge(name), in: host, mac: mac)
        let lease = try #require(try sandbox.requestLease(in: client, hostname: hostname), "no DHCP lease on \(name)")
        return (client, lease)
    }

    /// Runs a program in the host namespace.
    @discardableResult
    func inHost(_ arguments: String...) throws -> ProcessResult {
        try sandbox.run(in: host, arguments)
    }

    func links() throws -> String { try inHost("ip", "-o", "link", "show").standardOutput }

    func nftTable() throws -> String? {
        let result = try inHost("nft", "list", "table", "inet", "vmnet")
        return result.succeeded ? result.standardOutput : nil
    }

    /// `iptables -S` of the tables vmnet uses: rules only, no counters.
    func iptablesRules() throws -> String {
        try ["filter", "nat", "mangle"].map { table in try inHost("iptables", "-w", "-t", table, "-S").standardOutput }.joined()
    }

    /// Pids of processes running in the host namespace (dnsmasq instances).
    func hostPids() throws -> [String] {
        try sandbox.runner.run(["ip", "netns", "pids", host]).standardOutput.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// Writes a profile into the sandbox's configuration directory.
    func addProfile(_ name: String, _ json: String) throws {
        let directory = environment["VMNET_CONFIG_DIR"]! + "/profiles"
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(json, to: directory + "/\(name).json")
    }

    /// Everything a network can leave behind, for checks that nothing changed.
    func footprint() throws -> String {
        let state = FileSystem.list(stateDirectory + "/networks").joined(separator: ",")
        // Names and masters only: a new bridge's carrier state settles asynchronously.
        let bridges = try links().split(separator: "\n").filter { $0.contains("vmn-") }.map { line in
            let words = line.split(separator: " ")
            let master = words.firstIndex(of: "master").map { " master " + words[$0 + 1] } ?? ""
            return String(words.count > 1 ? words[1] : "") + master
        }.joined(separator: "\n")
        return "networks=\(state)\nbridges=\(bridges)\nnft=\(try nftTable() ?? "none")\npids=\(try hostPids().count)"
    }
}
