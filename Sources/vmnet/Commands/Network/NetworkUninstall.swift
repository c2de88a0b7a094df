import ArgumentParser
import VmnetCore

struct NetworkUninstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove what 'vmnet install' put in place (all runtimes when none is named).")

    @Argument(help: "Network name.")
    var name: String

    @OptionGroup var runtimes: RuntimeFlags

    func run() throws {
        let kinds = runtimes.kinds.isEmpty ? nil : runtimes.kinds
        let removed = try Context().controller.uninstall(try NetworkName(name), kinds: kinds)
        if removed.isEmpty { Output.note("nothing installed for '\(name)'") }
        for line in removed { Output.text(line) }
    }
}
