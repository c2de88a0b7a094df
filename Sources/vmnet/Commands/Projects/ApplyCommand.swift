import ArgumentParser
import VmnetCore
import VmnetShell

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Bring the host to what a project file (vmnet.json) says.",
        discussion: """
            Creates the file's networks that are missing (named PROJECT-NET, brought up), changes in place \
            what differs (as 'vmnet set' does: leases kept), adds and removes hosts, forwards and runtime \
            installs, and destroys the networks an earlier apply of the same file made that the file no longer \
            has. A network of the same name made by hand or by another file is refused (exit 4), changing \
            nothing. An existing network stays up or down as it is ('vmnet up -f', 'vmnet down -f'). If a step \
            fails, the steps before it are undone. A second apply of an unchanged file changes nothing \
            ("nothing to change"). 'vmnet plan' shows the steps first.
            """)

    @OptionGroup var project: ProjectFileOption

    @Flag(help: "Allow a network to move to the subnet the file now names (its guests must renew their leases).")
    var replace = false

    func run() throws {
        let file = try project.load()
        let controller = Context().controller
        let plan = try controller.plan(file, replace: replace)
        guard !plan.isEmpty else { return Output.text("\(project.file): nothing to change") }
        try controller.apply(plan, replace: replace) { step in Output.text("\(step.action) \(step.network): \(step.detail)") }
    }
}
