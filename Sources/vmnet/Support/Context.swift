import VmnetCore
import VmnetShell

/// What every command needs, built from the environment once.
struct Context {
    let environment: [String: String]
    let paths: Paths
    let controller: NetworkController

    init() {
        environment = ProcessEnvironment.current()
        paths = Paths(environment: environment, executablePath: ProcessEnvironment.executablePath())
        controller = NetworkController(paths: paths, environment: environment, collaborators: .system(), warnings: Warnings(report: Output.warning, note: Output.note))
    }

    /// The cluster side, made only when a command needs it: local commands never read cluster.json.
    func cluster() throws(VmnetError) -> ClusterController {
        try ClusterController(paths: paths, environment: environment, collaborators: .system(), warnings: Warnings(report: Output.warning))
    }

    /// The cluster controller when `name` is no local network but a cluster network in NB
    /// (local networks are looked up first; a host that never joined runs no cluster code); nil otherwise.
    func cluster(for name: NetworkName) throws(VmnetError) -> ClusterController? {
        do {
            _ = try controller.record(name)
            return nil
        } catch where error.code == .notFound {
            guard let cluster = try joinedCluster(), try cluster.network(name) != nil else { throw error }
            return cluster
        }
    }

    /// For commands that only read: says on standard error when a killed command's change is
    /// still pending, so half state is not shown silently.
    func notePendingRecovery() {
        if let line = controller.pendingRecovery() { Output.note(line) }
    }
}
