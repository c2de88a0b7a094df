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

    /// The private mount namespace's files, seen from outside through the holder.
    func outside(_ path: String) -> String { "/proc/\(holder)/root" + path }

    /// Resolves `name` on the host through resolved's stub listener, as the host's programs do.
    func resolveOnHost(_ name: String) throws -> IPv4Address? {
        try sandbox.resolve(from: host, name, server: IPv4Address("127.0.0.53")!)
    }
}
