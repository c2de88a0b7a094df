import ArgumentParser
import VmnetCore
import VmnetShell

struct PlanCommand: ParsableCommand {
    static let changesPending: Int32 = 10

    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what 'vmnet apply' would change, one line per change, touching nothing.",
        discussion: """
            Exit status: 0 when the host already is what the file says, \(changesPending) when apply would change \
            something (so scripts can gate on it), and the usual codes (1-6) when the file or the host cannot be read.
            """)

    @OptionGroup var project: ProjectFileOption

    @Flag(help: "Plan as 'vmnet apply --replace' would (subnet changes allowed).")
    var replace = false

    @Flag(help: "Print a JSON object: file, project, and changes (action, network, detail).")
    var json = false

    func run() throws {
        let file = try project.load()
        let plan = try Context().controller.plan(file, replace: replace)
        if json {
            Output.json(plan.json)
        } else if plan.isEmpty {
            Output.text("\(project.file): nothing to change")
        } else {
            Output.text(plan.table)
        }
        if !plan.isEmpty { throw ExitCode(Self.changesPending) }
    }
}
