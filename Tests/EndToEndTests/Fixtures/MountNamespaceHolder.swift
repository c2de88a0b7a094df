import Glibc
import Testing
import VmnetSandbox
import VmnetShell

/// A process that keeps a private mount namespace alive inside a sandbox's host namespace, for
/// daemons that need private /run, /etc or /var and a system bus of their own (ResolvedDaemon,
/// NetworkManagerHost). Its script mounts what it keeps private, starts dbus-daemon with its
/// socket at /run/dbus/system_bus_socket, touches WORK/ready and sleeps; everything else runs
/// in there with `nsenter --target HOLDER --mount --net`.
enum MountNamespaceHolder {
    /// Writes `script` to WORK/holder.sh, runs it detached as `sh holder.sh ARGUMENTS…` in
    /// `namespace` under `unshare -m --propagation private`, and waits for its system bus.
    static func start(namespace: String, work: String, script: String, arguments: [String], sandbox: Sandbox) throws -> pid_t {
        let path = work + "/holder.sh"
        try FileSystem.writeAtomically(script, to: path, mode: 0o755)
        let started = try sandbox.runner.run([
            "sh", "-c",
            "setsid nsenter --net=/run/netns/\(namespace) unshare -m --propagation private sh \(path) \(arguments.joined(separator: " ")) >\(work)/holder.log 2>&1 </dev/null & echo $!",
        ])
        let pid = try #require(pid_t(started.standardOutput.filter { !$0.isWhitespace }), "starting the holder: \(started.standardError)")
        try waitFor("the holder's private mounts (log: \(FileSystem.readIfPresent(work + "/holder.log") ?? ""))") {
            FileSystem.exists(work + "/ready") || !isAlive(pid)
        }
        try #require(isAlive(pid), "the holder exited: \(FileSystem.readIfPresent(work + "/holder.log") ?? "")")
        try waitFor("the private system bus") { UnixSocket.state("/proc/\(pid)/root/run/dbus/system_bus_socket") == .listening }
        return pid
    }

    /// Runs a program inside the holder's mount and network namespaces with `environment`.
    static func run(_ arguments: [String], in holder: pid_t, environment: [String: String], sandbox: Sandbox) throws -> ProcessResult {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try sandbox.runner.run(["nsenter", "--target", "\(holder)", "--mount", "--net", "env"] + assignments + arguments)
    }

    /// Alive and not a zombie waiting for init to reap it.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = FileSystem.readIfPresent("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// Polls for a daemon to become ready; gives up after `seconds` (a start, not a speed check).
    static func waitFor(_ what: String, seconds: Double = 15, _ condition: () -> Bool) throws {
        for _ in 0..<Int(seconds * 20) {
            if condition() { return }
            usleep(50_000)
        }
        try #require(condition(), "timed out waiting for \(what)")
    }
}
