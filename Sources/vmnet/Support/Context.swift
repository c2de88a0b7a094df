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
}
