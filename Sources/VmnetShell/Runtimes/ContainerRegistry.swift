import Glibc
import JSON
import VmnetCore

/// What vmnet's OCI hook registered on a network (`containers.json`) and the two host lists
/// dnsmasq reads from it. Whether a registered container still runs is asked of the host
/// and its processes, both injected.
public struct ContainerRegistry: Sendable {
    public let host: HostAccess
    public let processes: ProcessLookup

    public init(host: HostAccess, processes: ProcessLookup) {
        self.host = host
        self.processes = processes
    }

    /// Every registration the hook recorded for a network, the gone ones included.
    public func all(_ files: DnsmasqFiles) throws(VmnetError) -> [ContainerRegistration] {
        try StateFile.read(files.containersFile) { (text) throws(VmnetError) in try ContainerRegistration.decode(text, file: files.containersFile) } ?? []
    }

    /// The registrations whose container still runs.
    public func running(_ files: DnsmasqFiles) throws(VmnetError) -> [ContainerRegistration] {
        try all(files).filter(isRunning)
    }

    public func isRunning(_ registration: ContainerRegistration) -> Bool {
        guard let pid = registration.pid else { return true }
        guard processes.isRunning(pid_t(pid)) else { return false }
        return registration.started == nil || startTime(of: pid_t(pid)) == registration.started
    }

    /// When `pid` started (see `ProcessTable.startTime(stat:)`).
    public func startTime(of pid: pid_t) -> Int64? {
        host.readIfPresent("/proc/\(pid)/stat").flatMap(ProcessTable.startTime(stat:))
    }

    /// Drops registrations whose container is gone (a `poststop` that never ran, a reboot)
    /// and writes both lists when they changed or are missing; true when it wrote them.
    public func prune(_ record: NetworkRecord, files: DnsmasqFiles) throws(VmnetError) -> Bool {
        let registrations = try all(files)
        let live = registrations.filter(isRunning)
        let missing = !host.exists(files.containerDhcpHostsFile) || !host.exists(files.containerHostsFile)
        guard live != registrations || missing else { return false }
        try write(record, live, files: files)
        return true
    }

    /// Writes the registrations and both dnsmasq lists.
    public func write(_ record: NetworkRecord, _ registrations: [ContainerRegistration], files: DnsmasqFiles) throws(VmnetError) {
        try FileSystem.writeAtomically(JSONCodec.serialize(ContainerRegistration.encode(registrations)), to: files.containersFile)
        try FileSystem.writeAtomically(ContainerHostsFiles.dhcpHosts(registrations), to: files.containerDhcpHostsFile)
        try FileSystem.writeAtomically(ContainerHostsFiles.addnHosts(registrations, domain: record.domain), to: files.containerHostsFile)
    }
}
