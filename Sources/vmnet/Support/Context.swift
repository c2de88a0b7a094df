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
        controller = NetworkController(paths: paths, environment: environment, collaborators: .system(), warnings: Warnings(report: Output.warning))
    }

    /// The cluster side, made only when a command needs it: local commands never read cluster.json.
    func cluster() throws(VmnetError) -> ClusterController {
        try ClusterController(paths: paths, environment: environment, collaborators: .system(), warnings: Warnings(report: Output.warning))
    }

    /// For commands that only read: says on standard error when a killed command's change is
    /// still pending, so half state is not shown silently.
    func notePendingRecovery() {
        if let line = controller.pendingRecovery() { Output.note(line) }
    }
}
