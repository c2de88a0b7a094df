import VmnetCore

/// Carries out the lifecycle commands: reads state and host, asks the pure core what to do,
/// performs it with rollback. Every command that changes anything holds the state lock
/// (`withLock`). Its collaborators come from the caller (`NetworkCollaborators`); commands
/// use its methods, never its parts.
public struct NetworkController: Sendable {
    let paths: Paths
    /// What it changes and reads the host through, as given.
    let collaborators: NetworkCollaborators
    let store: StateStore
    let probe: HostProbe
    let dnsmasq: DnsmasqSupervisor
    let runtimes: RuntimeInstaller
    let hosts: ReservationStore
    let resolved: ResolvedRegistrar
    let networkManager: NetworkManagerDropIn
    let containers: ContainerAddresses
    let foreignFirewalls: ForeignFirewalls
    /// What commands report without failing (see `Warnings`).
    let warnings: Warnings

    public init(paths: Paths, environment: [String: String], collaborators: NetworkCollaborators = .system(), warnings: Warnings = Warnings()) {
        let runner = collaborators.runner
        self.paths = paths
        self.collaborators = collaborators
        self.warnings = warnings
        store = StateStore(paths: paths)
        probe = HostProbe(runner: runner, environment: environment, host: collaborators.host)
        dnsmasq = DnsmasqSupervisor(runner: runner, processes: collaborators.processes)
        foreignFirewalls = ForeignFirewalls(runner: runner, host: collaborators.host)
        runtimes = RuntimeInstaller(paths: paths, environment: environment, runner: runner)
        hosts = ReservationStore(paths: paths, host: collaborators.host, processes: collaborators.processes)
        resolved = ResolvedRegistrar(runner: runner, environment: environment, warnings: warnings)
        networkManager = NetworkManagerDropIn(
            runner: runner, host: collaborators.host, processes: collaborators.processes, environment: environment, warnings: warnings)
        containers = ContainerAddresses(environment: environment, registry: hosts.containers)
    }

    var runner: CommandRunner { collaborators.runner }
    var links: LinkManager { collaborators.links }
    var firewalls: [FirewallKind: FirewallBackend] { collaborators.firewalls }
    var processes: ProcessLookup { collaborators.processes }
    var host: HostReader { collaborators.host }
    var forwarding: IPForwarding { collaborators.forwarding }
    var ipv6Forwarding: IPv6Forwarding { collaborators.ipv6Forwarding }

    /// Runs `body` holding the state lock, after finishing or undoing whatever a killed
    /// command left; the journal `body` writes is removed when it returns or throws.
    func withLock<T>(_ body: (StateLock) throws(VmnetError) -> T) throws(VmnetError) -> T {
        try requireRoot()
        let lock = StateLock(try FileLock(path: paths.lockFile), journal: IntentJournal(paths: paths))
        defer { lock.release() }
        recover(lock.journal)
        return try body(lock)
    }

    /// The named networks' records, or every readable one (warning about the others).
    func select(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkRecord] {
        guard let names else {
            let all = store.scan()
            for damaged in all.broken { warnings.add("skipping network '\(damaged.name)': \(StateStore.error(damaged).message)") }
            return all.records
        }
        return try names.map { (name) throws(VmnetError) in try store.require(name) }
    }

    // MARK: checks

    func defaultFirewall() throws(VmnetError) -> FirewallKind {
        if firewalls[.nftables]?.isAvailable == true { return .nftables }
        if firewalls[.iptables]?.isAvailable == true { return .iptables }
        throw ExecutableLocator.missing("nft")
    }

    func requireTools(for records: [NetworkRecord]) throws(VmnetError) {
        // Links go over rtnetlink: bringing networks up needs no `ip` (only allocation reads routes with it).
        if host.executable("dnsmasq") == nil { throw ExecutableLocator.missing("dnsmasq") }
        for kind in Set(records.map(\.firewall)) where firewalls[kind]?.isAvailable != true {
            throw ExecutableLocator.missing(kind == .nftables ? "nft" : "iptables")
        }
    }

    func requireRoot() throws(VmnetError) {
        if !host.isPrivileged {
            throw VmnetError(.missingDependency, "vmnet changes bridges, firewall rules and system files: run it as root (sudo vmnet …)")
        }
    }
}
