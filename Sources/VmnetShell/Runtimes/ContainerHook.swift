import Glibc
import VmnetCore

/// Performs `vmnet container-hook STAGE`, run by podman's OCI hook for every container: on
/// `createRuntime` registers the container's addresses (and name) on each vmnet network it
/// is attached to, on `poststop` removes them. A container on no vmnet network costs one
/// `ip` call and never takes vmnet's lock; only a refused address stops a container. Its
/// collaborators come from the caller: `.system()` for the CLI, recording fakes in tests.
public struct ContainerHook: Sendable {
    public let paths: Paths
    let collaborators: NetworkCollaborators
    let store: StateStore
    let hosts: ReservationStore
    let dnsmasq: DnsmasqSupervisor
    let registry: ContainerRegistry
    /// How long the hook waits for another vmnet command's lock before giving up (the
    /// container then starts unnamed): far less than the hook file's timeout.
    static let lockWait = 5_000

    public init(paths: Paths, collaborators: NetworkCollaborators) {
        self.paths = paths
        self.collaborators = collaborators
        store = StateStore(paths: paths)
        hosts = ReservationStore(paths: paths, host: collaborators.host, processes: collaborators.processes)
        dnsmasq = DnsmasqSupervisor(runner: collaborators.runner, processes: collaborators.processes)
        registry = hosts.containers
    }

    var runner: CommandRunner { collaborators.runner }
    var host: HostReader { collaborators.host }

    /// Returns warnings to print; throws only when the container must not start.
    public func run(stage: String, stateText: String) throws(VmnetError) -> [String] {
        // Rootless podman runs hooks as the user: its networks are never vmnet's.
        guard host.isPrivileged else { return [] }
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
        let name = host.readIfPresent(state.storageContainersFile).flatMap(state.name(inStorageList:))

        let lock = try FileLock(path: paths.lockFile, waitingAtMost: ContainerHook.lockWait)
        defer { withExtendedLifetime(lock) {} }
        // Every network is planned before any is written: a refused address changes nothing.
        var planned: [(NetworkRecord, [ContainerRegistration])] = []
        for record in attached {
            let files = paths.dnsmasqFiles(of: record.name)
            let leases = DHCPLease.parse(host.readIfPresent(files.leaseFile) ?? "")
            let existing = try registry.running(files)
            guard let list = try ContainerRegistrar.register(container: state, started: registry.startTime(of: pid_t(pid)), name: name, interfaces: interfaces, network: record,
                                                             reservations: try hosts.load(record.name), leases: leases,
                                                             existing: existing, now: host.now())
            else { continue }
            planned.append((record, list))
        }
        for (record, list) in planned { try publish(record, list) }
        return []
    }

    private func forget(_ state: OCIState, records: [NetworkRecord]) throws(VmnetError) -> [String] {
        let mentioning = records.filter { host.readIfPresent(paths.dnsmasqFiles(of: $0.name).containersFile)?.contains(state.id) == true }
        guard !mentioning.isEmpty else { return [] }
        let lock = try FileLock(path: paths.lockFile, waitingAtMost: ContainerHook.lockWait)
        defer { withExtendedLifetime(lock) {} }
        for record in mentioning {
            try publish(record, try registry.all(paths.dnsmasqFiles(of: record.name)).filter { $0.id != state.id })
        }
        return []
    }

    /// For `vmnet host add`, under the caller's lock: refuses a reservation of a running
    /// container's address and takes a reserved name away from a container (the caller then
    /// has dnsmasq re-read its lists).
    public func admit(_ reservation: HostReservation, on record: NetworkRecord) throws(VmnetError) {
        let files = paths.dnsmasqFiles(of: record.name)
        let registrations = try registry.all(files)
        let admitted = try ContainerRegistrar.admit(reservation, network: record.name, registrations: registrations)
        if admitted != registrations { try registry.write(record, admitted, files: files) }
    }

    /// Writes the registrations and both dnsmasq lists, then has dnsmasq re-read them.
    private func publish(_ record: NetworkRecord, _ registrations: [ContainerRegistration]) throws(VmnetError) {
        let files = paths.dnsmasqFiles(of: record.name)
        try registry.write(record, registrations, files: files)
        _ = dnsmasq.reload(files)
    }
}
