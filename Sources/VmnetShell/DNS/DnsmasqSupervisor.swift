import Glibc
import VmnetCore

/// Starts, checks and stops one dnsmasq per network. A pid is only trusted when
/// /proc/PID/cmdline names that network's configuration file, so a recycled pid never
/// makes vmnet signal someone else's process.
public struct DnsmasqSupervisor: Sendable {
    public let runner: CommandRunner
    public let processes: ProcessLookup

    public init(runner: CommandRunner, processes: ProcessLookup = SystemProcesses()) {
        self.runner = runner
        self.processes = processes
    }

    public func runningPid(_ files: DnsmasqFiles) -> pid_t? {
        guard let text = FileSystem.readIfPresent(files.pidFile),
            let pid = pid_t(text.filter { !$0.isWhitespace }), pid > 0,
            let arguments = processes.arguments(of: pid)
        else { return nil }
        return arguments.contains("--conf-file=\(files.config)") ? pid : nil
    }

    /// Gets a network ready for dnsmasq and says whether it must be started. A running
    /// instance with the same configuration is left alone (so `up` twice changes nothing);
    /// an outdated one is stopped. `bridgeIsNew` forces a restart: sockets bound to a deleted
    /// bridge stay dead even after a bridge of the same name comes back. The host lists it
    /// reads are written before, by `ReservationStore.writeHostLists`.
    public func prepare(_ network: NetworkRecord, files: DnsmasqFiles, config: String, bridgeIsNew: Bool) throws(VmnetError) -> Bool {
        if !bridgeIsNew, runningPid(files) != nil, FileSystem.readIfPresent(files.config) == config {
            return false
        }
        stop([files])
        try FileSystem.makeDirectories(FileSystem.parent(of: files.config))
        try FileSystem.makeDirectories(FileSystem.parent(of: files.leaseFile))
        try FileSystem.writeAtomically(config, to: files.config)
        return true
    }

    /// Writes the network's peers file (see `DnsmasqConfig.peers`); true when it changed.
    public func writePeers(_ text: String, files: DnsmasqFiles) throws(VmnetError) -> Bool {
        guard FileSystem.readIfPresent(files.peersFile) != text else { return false }
        try FileSystem.makeDirectories(FileSystem.parent(of: files.peersFile))
        try FileSystem.writeAtomically(text, to: files.peersFile)
        return true
    }

    /// Writes the network's DHCP options file (see `DnsmasqGuestOptions`), or removes it when
    /// there is none; true when it changed.
    public func writeOptions(_ text: String?, files: DnsmasqFiles) throws(VmnetError) -> Bool {
        guard FileSystem.readIfPresent(files.dhcpOptionsFile) != text else { return false }
        guard let text else {
            FileSystem.remove(files.dhcpOptionsFile)
            return true
        }
        try FileSystem.makeDirectories(FileSystem.parent(of: files.dhcpOptionsFile))
        try FileSystem.writeAtomically(text, to: files.dhcpOptionsFile)
        return true
    }

    /// Starts dnsmasq for every prepared network at once and returns without waiting;
    /// `confirm` then waits and throws the first failure.
    public func launch(_ networks: [(network: NetworkRecord, files: DnsmasqFiles)]) throws(VmnetError) -> RunningCommands {
        try runner.start(networks.map { ["dnsmasq", "--conf-file=\($0.files.config)"] })
    }

    public func confirm(_ networks: [(network: NetworkRecord, files: DnsmasqFiles)], _ running: RunningCommands) throws(VmnetError) {
        for ((network, files), result) in zip(networks, running.results()) {
            guard result.succeeded else {
                throw .failed("starting dnsmasq for '\(network.name)': \(result.failureSummary)\(hint(for: result.standardError))")
            }
            guard runningPid(files) != nil else {
                throw .failed("starting dnsmasq for '\(network.name)': it exited without writing \(files.pidFile)")
            }
        }
    }

    /// Stops the networks' dnsmasq instances together and waits until all are gone.
    public func stop(_ all: [DnsmasqFiles]) {
        awaitStop(beginStop(all))
    }

    /// Sends the instances SIGTERM and returns at once: `down` deletes its rules and links
    /// while they exit (50 of them took ~60 ms to go), then waits with `awaitStop`.
    public func beginStop(_ all: [DnsmasqFiles]) -> StoppingDnsmasq {
        let pids = all.compactMap(runningPid)
        for pid in pids { _ = processes.signal(pid, SIGTERM) }
        return StoppingDnsmasq(pids: pids, pidFiles: all.map(\.pidFile))
    }

    /// Waits until the instances `beginStop` signalled are gone: up to 400 ms, and no longer
    /// than the last of them takes to exit; then SIGKILL for any left.
    public func awaitStop(_ stopping: StoppingDnsmasq) {
        var waited = 0
        while waited < 400, stopping.pids.contains(where: processes.isRunning) {
            usleep(1_000)
            waited += 1
        }
        for pid in stopping.pids where processes.isRunning(pid) { _ = processes.signal(pid, SIGKILL) }
        for file in stopping.pidFiles { FileSystem.remove(file) }
    }

    /// Re-reads the host lists without a restart: existing leases and the pid stay.
    public func reload(_ files: DnsmasqFiles) -> Bool {
        guard let pid = runningPid(files) else { return false }
        return processes.signal(pid, SIGHUP)
    }

    private func hint(for errors: String) -> String {
        if errors.contains("Address already in use") || errors.contains("Address in use") {
            return " (another DNS or DHCP server holds the port on every interface, such as a system-wide dnsmasq without bind-interfaces: stop it or make it bind to its own interfaces)"
        }
        return ""
    }
}
