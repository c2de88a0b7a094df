import ArgumentParser
import VmnetCore
import VmnetShell

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write an example project file (vmnet.json) to start from.",
        discussion: "It declares a NAT network with one host and a forward, and a sandboxed network. An existing file is never overwritten (exit 4).")

    @OptionGroup var project: ProjectFileOption

    @Option(help: "The project's name (networks are named PROJECT-NET); the current directory's name by default.")
    var name: String?

    @Flag(help: "Print the example instead of writing it.")
    var print = false

    func run() throws {
        let projectName = name ?? ProjectExample.projectName(directory: ProcessEnvironment.currentDirectory())
        if let problem = NetworkName.problem(with: projectName, what: "project name", maximumLength: ProjectExample.maximumNameLength) { throw VmnetError.invalid("\(problem): choose one with --name") }
        let text = ProjectExample.text(project: projectName)
        guard !print else { return Output.text(text) }
        if FileSystem.exists(project.file) {
            throw VmnetError.conflict("writing \(project.file): it exists: edit it, or remove it first")
        }
        try FileSystem.writeAtomically(text, to: project.file)
        Output.text("wrote \(project.file) (project '\(projectName)'): 'vmnet plan' shows what 'vmnet apply' would do")
    }
}
