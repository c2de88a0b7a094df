import Glibc
import VmnetCore

/// Starts, checks and stops one dnsmasq per network. A pid is only trusted when
/// /proc/PID/cmdline names that network's configuration file, so a recycled pid never
/// makes vmnet signal someone else's process.
public struct DnsmasqSupervisor: Sendable {
    public let runner: CommandRunner

    public init(runner: CommandRunner) { self.runner = runner }

    public func runningPid(_ files: DnsmasqFiles) -> pid_t? {
        guard let text = FileSystem.readIfPresent(files.pidFile),
            let pid = pid_t(text.filter { !$0.isWhitespace }), pid > 0,
            let commandLine = FileSystem.readIfPresent("/proc/\(pid)/cmdline")
        else { return nil }
        let arguments = commandLine.split(separator: "\0").map(String.init)
        return arguments.contains("--conf-file=\(files.config)") ? pid : nil
    }

    /// Makes sure dnsmasq runs with exactly `config`. A running instance with the same
    /// configuration is left alone (so `up` twice changes nothing); otherwise it is restarted.
    /// `bridgeIsNew` forces a restart: sockets bound to a deleted bridge stay dead even after
    /// a bridge of the same name comes back. Returns the pid and whether this call started it.
    @discardableResult
    public func ensureRunning(_ network: NetworkRecord, files: DnsmasqFiles, config: String, bridgeIsNew: Bool) throws(VmnetError) -> (pid: pid_t, started: Bool) {
        if !bridgeIsNew, let pid = runningPid(files), FileSystem.readIfPresent(files.config) == config {
            return (pid, false)
        }
        stop(files)
        try FileSystem.makeDirectories(FileSystem.parent(of: files.config))
        try FileSystem.makeDirectories(FileSystem.parent(of: files.leaseFile))
        for file in [files.dhcpHostsFile, files.addnHostsFile] where !FileSystem.exists(file) {
            try FileSystem.writeAtomically("", to: file)
        }
        try FileSystem.writeAtomically(config, to: files.config)
        let result = try runner.run(["dnsmasq", "--conf-file=\(files.config)"])
        guard result.succeeded else {
            throw .failed("starting dnsmasq for '\(network.name)': \(result.failureSummary)\(hint(for: result.standardError))")
        }
        guard let pid = runningPid(files) else {
            throw .failed("starting dnsmasq for '\(network.name)': it exited without writing \(files.pidFile)")
        }
        return (pid, true)
    }

    /// Stops the network's dnsmasq, if it runs, and waits for it to go.
    public func stop(_ files: DnsmasqFiles) {
        if let pid = runningPid(files) {
            kill(pid, SIGTERM)
            for _ in 0..<400 where ProcessTable.isRunning(pid) {
                usleep(2_500)
            }
            if ProcessTable.isRunning(pid) { kill(pid, SIGKILL) }
        }
        FileSystem.remove(files.pidFile)
    }

    /// Re-reads the host lists without a restart: existing leases and the pid stay.
    public func reload(_ files: DnsmasqFiles) -> Bool {
        guard let pid = runningPid(files) else { return false }
        return kill(pid, SIGHUP) == 0
    }

    private func hint(for errors: String) -> String {
        if errors.contains("Address already in use") || errors.contains("Address in use") {
            return " (another DNS or DHCP server holds the port on every interface, such as a system-wide dnsmasq without bind-interfaces: stop it or make it bind to its own interfaces)"
        }
        return ""
    }
}
