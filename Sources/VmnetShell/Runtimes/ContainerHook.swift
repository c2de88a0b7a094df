import Glibc
import JSON
import VmnetCore

/// Performs `vmnet container-hook STAGE`, run by podman's OCI hook for every container: on
/// `createRuntime` registers the container's addresses (and name) on each vmnet network it
/// is attached to, on `poststop` removes them. A container on no vmnet network costs one
/// `ip` call and never takes vmnet's lock; only a refused address stops a container.
public struct ContainerHook: Sendable {
    public let paths: Paths
    public let runner: CommandRunner
    let store: StateStore
    let hosts: ReservationStore
    let dnsmasq: DnsmasqSupervisor
    /// How long the hook waits for another vmnet command's lock before giving up (the
    /// container then starts unnamed): far less than the hook file's timeout.
    static let lockWait = 5_000

    public init(paths: Paths, runner: CommandRunner = SpawnRunner()) {
        self.paths = paths
        self.runner = runner
        store = StateStore(paths: paths)
        hosts = ReservationStore(paths: paths)
        dnsmasq = DnsmasqSupervisor(runner: runner)
    }

    /// Returns warnings to print; throws only when the container must not start.
    public func run(stage: String, stateText: String) throws(VmnetError) -> [String] {
        // Rootless podman runs hooks as the user: its networks are never vmnet's.
        guard geteuid() == 0 else { return [] }
        let state = try OCIState.parse(stateText)
        let records = (try? store.loadAll()) ?? []
        guard !records.isEmpty else { return [] }
        switch stage {
        case "createRuntime", "prestart":
            return try register(state, records: records)
        case "poststop":
            return try forget(state, records: records)
        default:
            throw .invalid("running the container hook: unknown stage '\(stage)': use createRuntime or poststop")
        }
    }

    private func register(_ state: OCIState, records: [NetworkRecord]) throws(VmnetError) -> [String] {
        guard let pid = state.pid else { return [] }
        let listed = try runner.run(["nsenter", "--net=/proc/\(pid)/ns/net", "ip", "-j", "address"])
        guard listed.succeeded else { return ["reading the interfaces of container \(state.id.prefix(12)): \(listed.failureSummary)"] }
        let interfaces = try ContainerInterface.parse(ipJSON: listed.standardOutput)
        let attached = records.filter { record in interfaces.contains { $0.addresses.contains(where: record.subnet.contains) } }
        guard !attached.isEmpty else { return [] }
        let name = FileSystem.readIfPresent(state.storageContainersFile).flatMap(state.name(inStorageList:))

        let lock = try FileLock(path: paths.lockFile, waitingAtMost: ContainerHook.lockWait)
        defer { withExtendedLifetime(lock) {} }
        // Every network is planned before any is written: a refused address changes nothing.
        var planned: [(NetworkRecord, [ContainerRegistration])] = []
        for record in attached {
            let files = paths.dnsmasqFiles(of: record.name)
            let leases = DHCPLease.parse(FileSystem.readIfPresent(files.leaseFile) ?? "")
            let existing = try ContainerHook.load(files).filter(ContainerHook.isRunning)
            guard let list = try ContainerRegistrar.register(container: state, started: ProcessTable.startTime(pid_t(pid)), name: name, interfaces: interfaces, network: record,
                                                             reservations: try hosts.load(record.name), leases: leases,
                                                             existing: existing, now: Int64(time(nil)))
            else { continue }
            planned.append((record, list))
        }
        for (record, list) in planned { try publish(record, list) }
        return []
    }

    private func forget(_ state: OCIState, records: [NetworkRecord]) throws(VmnetError) -> [String] {
        let mentioning = records.filter { FileSystem.readIfPresent(paths.dnsmasqFiles(of: $0.name).containersFile)?.contains(state.id) == true }
        guard !mentioning.isEmpty else { return [] }
        let lock = try FileLock(path: paths.lockFile, waitingAtMost: ContainerHook.lockWait)
        defer { withExtendedLifetime(lock) {} }
        for record in mentioning {
            try publish(record, try ContainerHook.load(paths.dnsmasqFiles(of: record.name)).filter { $0.id != state.id })
        }
        return []
    }

    /// For `vmnet host add`, under the caller's lock: refuses a reservation of a running
    /// container's address and takes a reserved name away from a container (the caller then
    /// has dnsmasq re-read its lists).
    public func admit(_ reservation: HostReservation, on record: NetworkRecord) throws(VmnetError) {
        let files = paths.dnsmasqFiles(of: record.name)
        let registrations = try ContainerHook.load(files)
        let admitted = try ContainerRegistrar.admit(reservation, network: record.name, registrations: registrations)
        if admitted != registrations { try write(record, admitted) }
    }

    /// Drops registrations whose container is gone (a `poststop` that never ran, a reboot)
    /// and writes both lists when they changed or are missing; true when it wrote them.
    public func prune(_ record: NetworkRecord) throws(VmnetError) -> Bool {
        let files = paths.dnsmasqFiles(of: record.name)
        let registrations = try ContainerHook.load(files)
        let live = registrations.filter(ContainerHook.isRunning)
        let missing = !FileSystem.exists(files.containerDhcpHostsFile) || !FileSystem.exists(files.containerHostsFile)
        guard live != registrations || missing else { return false }
        try write(record, live)
        return true
    }

    public static func isRunning(_ registration: ContainerRegistration) -> Bool {
        guard let pid = registration.pid else { return true }
        guard ProcessTable.isRunning(pid_t(pid)) else { return false }
        return registration.started == nil || ProcessTable.startTime(pid_t(pid)) == registration.started
    }

    /// Every registration the hook recorded for a network, the gone ones included.
    static func load(_ files: DnsmasqFiles) throws(VmnetError) -> [ContainerRegistration] {
        guard let text = try FileSystem.readUnlessMissing(files.containersFile) else { return [] }
        return try ContainerRegistration.decode(text, file: files.containersFile)
    }

    /// Writes the registrations and both dnsmasq lists, then has dnsmasq re-read them.
    private func publish(_ record: NetworkRecord, _ registrations: [ContainerRegistration]) throws(VmnetError) {
        try write(record, registrations)
        _ = dnsmasq.reload(paths.dnsmasqFiles(of: record.name))
    }

    private func write(_ record: NetworkRecord, _ registrations: [ContainerRegistration]) throws(VmnetError) {
        let files = paths.dnsmasqFiles(of: record.name)
        try FileSystem.writeAtomically(JSONCodec.serialize(ContainerRegistration.encode(registrations)), to: files.containersFile)
        try FileSystem.writeAtomically(ContainerHostsFiles.dhcpHosts(registrations), to: files.containerDhcpHostsFile)
        try FileSystem.writeAtomically(ContainerHostsFiles.addnHosts(registrations, domain: record.domain), to: files.containerHostsFile)
    }
}
