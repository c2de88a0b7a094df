import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A sandbox host namespace (with uplink, fake DNS and an echo server on the uplink) shared by
/// the tests of one heavy daemon: the daemon starts once per test process, lazily, and is
/// killed by pid when the process exits. Tests get worlds of their own state in it.
final class SharedHost: @unchecked Sendable {
    let sandbox: Sandbox
    let host: String
    let uplink: String
    private var daemons: [pid_t] = []
    private var worlds = 0

    nonisolated(unsafe) private static var live: [SharedHost] = []

    init(_ tag: String) throws {
        (sandbox, host, uplink) = try SharedHost.makeSandbox(tag)
        do {
            try Traffic.startEcho(in: uplink, sandbox: sandbox)
        } catch {
            sandbox.tearDown()
            throw error
        }
        if SharedHost.live.isEmpty { atexit { SharedHost.tearDownAll() } }
        SharedHost.live.append(self)
    }

    /// Daemons beside another fixture's host namespace (NetworkManagerHost's): that fixture
    /// tears the namespace down; this one only stops, by pid, what it started.
    init(on world: VmnetWorld) {
        (sandbox, host, uplink) = (world.sandbox, world.host, world.uplink)
    }

    /// A sandbox with a host namespace linked to an uplink that runs a fake DNS server
    /// (the host's resolver); torn down again if any of it fails.
    static func makeSandbox(_ tag: String) throws -> (sandbox: Sandbox, host: String, uplink: String) {
        try EndToEnd.requirePrerequisites()
        let sandbox = try Sandbox(tag: tag)
        do {
            let host = try sandbox.addNamespace("h")
            let uplink = try sandbox.addUplink(host: host)
            try sandbox.startFakeUpstreamDNS(in: uplink)
            try sandbox.setResolver(of: host, nameservers: [Sandbox.uplinkAddress])
            return (sandbox, host, uplink)
        } catch {
            sandbox.tearDown()
            throw error
        }
    }

    /// A fresh vmnet state in this host.
    func world(environment: [String: String] = [:]) -> VmnetWorld {
        worlds += 1
        return VmnetWorld(sandbox: sandbox, host: host, uplink: uplink, stateTag: "world\(worlds)", environment: environment)
    }

    /// Runs `script` with sh in the host's network namespace, in a mount namespace of its own
    /// (the script mounts what it keeps private), detached; returns its pid (the script should
    /// `exec` the daemon). Output goes to `DIR/NAME.log`.
    func startDaemon(_ name: String, script: String) throws -> pid_t {
        let path = sandbox.directory + "/\(name).sh"
        try FileSystem.writeAtomically(script, to: path, mode: 0o755)
        let log = sandbox.directory + "/\(name).log"
        let result = try sandbox.runner.run([
            "sh", "-c", "setsid nsenter --net=/run/netns/\(host) unshare -m --propagation private sh \(path) </dev/null >\(log) 2>&1 & echo $!",
        ]).requireSuccess("starting \(name)")
        let pid = try #require(pid_t(result.standardOutput.filter { !$0.isWhitespace }), "no pid for \(name)")
        daemons.append(pid)
        return pid
    }

    /// Stops a daemon started here with SIGTERM, waits up to `seconds` for it to exit, then
    /// kills it; true when it exited by itself.
    @discardableResult
    func stopDaemon(_ pid: pid_t, within seconds: Int = 20) -> Bool {
        guard daemons.contains(pid) else { return true }
        kill(pid, SIGTERM)
        var exited = false
        for _ in 0..<(seconds * 10) {
            var status: Int32 = 0
            exited = waitpid(pid, &status, WNOHANG) == pid || kill(pid, 0) != 0
            if exited { break }
            usleep(100_000)
        }
        if !exited { kill(pid, SIGKILL) }
        daemons.removeAll { $0 == pid }
        return exited
    }

    /// The daemon's log, for failure messages.
    func log(_ name: String) -> String { FileSystem.readIfPresent(sandbox.directory + "/\(name).log") ?? "" }

    /// Waits until `check` holds, up to `seconds` (for daemons that take a while to answer).
    func wait(_ seconds: Int, until check: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<(seconds * 10) {
            if try check() { return true }
            usleep(100_000)
        }
        return try check()
    }

    func stopDaemons() {
        for pid in daemons { stopDaemon(pid) }
    }

    func tearDown() {
        stopDaemons()
        sandbox.tearDown()
    }

    private static func tearDownAll() {
        for shared in live { shared.tearDown() }
        live = []
    }
}
