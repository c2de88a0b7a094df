import Glibc
import VmnetCore

/// Keeps NetworkManager off vmnet's links, on hosts where it is installed: a drop-in in its
/// conf.d (NetworkManagerPlanner) written before the first link is made, NetworkManager told
/// to reload it, the drop-in removed with the last network. Nothing else of NetworkManager's
/// is touched. The networks work without it, so a failure here is a warning.
public struct NetworkManagerDropIn: Sendable {
    public static let defaultDirectory = "/etc/NetworkManager/conf.d"

    let runner: CommandRunner
    let host: HostAccess
    let processes: ProcessLookup
    let warnings: Warnings
    /// NetworkManager's conf.d ($VMNET_NM_CONF_DIR overrides it).
    public let directory: String
    private let overridden: Bool

    public init(runner: CommandRunner, host: HostAccess, processes: ProcessLookup, environment: [String: String], warnings: Warnings = Warnings()) {
        self.runner = runner
        self.host = host
        self.processes = processes
        self.warnings = warnings
        directory = environment["VMNET_NM_CONF_DIR"] ?? NetworkManagerDropIn.defaultDirectory
        overridden = environment["VMNET_NM_CONF_DIR"] != nil
    }

    public var path: String { directory + "/" + NetworkManagerPlanner.dropInName }

    /// NetworkManager's configuration directory exists or its daemon is installed. A moved
    /// directory (the selftest's, the tests') counts only if its parent exists, so a sandbox
    /// on a desktop never reloads the desktop's NetworkManager.
    public var isInstalled: Bool {
        host.exists(FileSystem.parent(of: directory)) || (!overridden && host.executable("NetworkManager") != nil)
    }

    /// Makes the drop-in say what `networks` need, or removes it when there are none; a
    /// change is reloaded. Idempotent: an unchanged drop-in costs one read.
    public func update(for networks: [NetworkRecord]) {
        guard isInstalled else { return }
        let wanted = networks.isEmpty ? nil : NetworkManagerPlanner.dropIn(for: networks)
        let present = host.readIfPresent(path)
        guard present != wanted else { return }
        do throws(VmnetError) {
            if let wanted {
                try FileSystem.makeDirectories(directory)
                try FileSystem.writeAtomically(wanted, to: path)
            } else {
                FileSystem.remove(path)
            }
        } catch {
            warnings.add("keeping NetworkManager off vmnet's links: \(error.message): check \(directory), then 'vmnet up'")
            return
        }
        reload()
    }

    /// NetworkManager reads conf.d only at start and on reload. nmcli reaches the daemon of
    /// this host's system bus; without nmcli, SIGHUP (which reloads everything) does it.
    private func reload() {
        let daemons = runningDaemons
        guard !daemons.isEmpty else { return }
        guard host.executable("nmcli") != nil else {
            for pid in daemons { _ = processes.signal(pid, SIGHUP) }
            return
        }
        let reloaded = try? runner.run(["nmcli", "general", "reload", "conf"])
        // 8: no NetworkManager on this system bus (the one running belongs to another namespace).
        if let reloaded, reloaded.succeeded || reloaded.status == 8 { return }
        warnings.add("telling NetworkManager about \(path): nmcli general reload conf: \(reloaded?.failureSummary ?? "did not run"): "
                     + "run it, or restart NetworkManager")
    }

    /// The NetworkManager processes, told apart by their program's name.
    private var runningDaemons: [pid_t] {
        processes.pids().filter { pid in processes.arguments(of: pid)?.first.map { FileSystem.baseName($0) == "NetworkManager" } ?? false }
    }

    /// The doctor's checks: while NetworkManager runs, each network that is up has its bridge
    /// and keeper ports unmanaged.
    public func findings(for networks: [NetworkRecord]) -> [DoctorFinding] {
        let up = networks.filter(\.enabled)
        guard !up.isEmpty else { return [] }
        func passing(_ why: String) -> [DoctorFinding] { up.map { .ok($0.name.value, NetworkManagerPlanner.check, why) } }
        guard isInstalled, !runningDaemons.isEmpty else { return passing("NetworkManager does not run") }
        guard host.executable("nmcli") != nil else { return passing("NetworkManager runs, but without nmcli its devices cannot be listed") }
        let listed: ProcessResult
        do { listed = try runner.run(NetworkManagerPlanner.deviceQuery) } catch { return passing("NetworkManager cannot be asked: \(error.message)") }
        if listed.status == 8 { return passing("NetworkManager does not run on this host's system bus") }
        guard listed.succeeded else {
            return up.map { network in
                DoctorFinding(network: network.name.value, check: NetworkManagerPlanner.check, status: .warn,
                              detail: "asking NetworkManager about \(network.bridge): \(listed.failureSummary)",
                              fix: "nmcli device")
            }
        }
        return up.map { NetworkManagerPlanner.finding($0, deviceOutput: listed.standardOutput, dropIn: path) }
    }
}
