import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A test host whose programs run in `world`'s host namespace with the private mounts a
/// holder process keeps (its own /run, /etc…): ResolvedDaemon, NetworkManagerHost. The ways
/// of running things inside, written once for both.
protocol HeldHost {
    var world: VmnetWorld { get }
    /// The process holding the private mount namespace.
    var holder: pid_t { get }
    var environment: [String: String] { get }
}

extension HeldHost {
    var sandbox: Sandbox { world.sandbox }
    var host: String { world.host }

    /// Runs a program in the host namespace with the private mounts.
    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessResult {
        try MountNamespaceHolder.run(arguments, in: holder, environment: environment.merging(extra) { $1 }, sandbox: sandbox)
    }

    @discardableResult
    func vmnet(_ arguments: String...) throws -> ProcessResult { try run([EndToEnd.binary] + arguments) }

    @discardableResult
    func ok(_ arguments: String...) throws -> ProcessResult {
        let result = try run([EndToEnd.binary] + arguments)
        #expect(result.status == 0, "vmnet \(arguments.joined(separator: " ")) failed: \(result.standardError)")
        try #require(result.succeeded)
        return result
    }

    /// `vmnet host add NAME HOST` inside, and the address it reserved.
    func reserve(_ host: String, on name: String) throws -> IPv4Address {
        let output = try ok("host", "add", name, host).standardOutput
        let addresses = output.split(separator: " ").compactMap { IPv4Address($0.hasSuffix(":") ? String($0.dropLast()) : String($0)) }
        return try #require(addresses.first, "host add said: \(output)")
    }

    /// Runs `command` inside, detached, its output appended to `log`; its pid. With
    /// `environment` false the daemon starts with nsenter's own (as resolved always has).
    func launch(_ name: String, _ command: String, log: String, environment passing: Bool = true) throws -> pid_t {
        let assignments = passing ? "env " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + " " : ""
        let started = try sandbox.runner.run([
            "sh", "-c",
            "nsenter --target \(holder) --mount --net \(assignments)sh -c 'cd / && exec \(command)' >>\(log) 2>&1 </dev/null & echo $!",
        ])
        return try #require(pid_t(started.standardOutput.filter { !$0.isWhitespace }), "starting \(name): \(started.standardError)")
    }

    /// SIGTERM to a daemon launched inside, and the wait for it to exit.
    func terminate(_ pid: pid_t, _ name: String) throws {
        kill(pid, SIGTERM)
        try waitFor("\(name) \(pid) exiting") { !MountNamespaceHolder.isAlive(pid) }
    }

    func waitFor(_ what: String, seconds: Double = 15, _ condition: () -> Bool) throws {
        try MountNamespaceHolder.waitFor(what, seconds: seconds, condition)
    }

    /// The private mount namespace's files, seen from outside through the holder.
    func outside(_ path: String) -> String { "/proc/\(holder)/root" + path }

    /// Resolves `name` on the host through resolved's stub listener, as the host's programs do.
    func resolveOnHost(_ name: String) throws -> IPv4Address? {
        try sandbox.resolve(from: host, name, server: IPv4Address("127.0.0.53")!)
    }
}
