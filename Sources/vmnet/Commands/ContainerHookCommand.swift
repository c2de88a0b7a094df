import ArgumentParser
import VmnetCore
import VmnetShell

/// Run by the OCI hook that `vmnet install --podman/--cni` puts in podman's hooks directory,
/// with the container's OCI state on standard input. Hidden: people never run it.
struct ContainerHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container-hook",
        abstract: "Register (createRuntime) or remove (poststop) a container's name and addresses.",
        shouldDisplay: false)

    @Argument(help: "The OCI hook stage: createRuntime or poststop.")
    var stage: String

    func run() throws {
        var input = ""
        while let line = readLine(strippingNewline: false) { input += line }
        let hook = ContainerHook(paths: Context().paths, collaborators: .system())
        let result = Result { () throws(VmnetError) -> [String] in try hook.run(stage: stage, stateText: input) }
        switch result {
        case .success(let warnings):
            for line in warnings { Output.warning(line) }
        case .failure(let error):
            // Only a refused address may stop a container; anything else is reported and the
            // container starts without a name.
            if error.code == .conflict { throw error }
            Output.warning("container hook: \(error.message)")
        }
    }
}
