import ArgumentParser
import VmnetCore
import VmnetShell

struct NetworkUninstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove what 'vmnet install' put in place (all runtimes when none is named).",
        discussion: "Each line says what was really done: removed, already missing, or (libvirt) left alone because the network of that name is not the one vmnet defined.")

    @Argument(help: "Network name.")
    var name: String

    @OptionGroup var runtimes: RuntimeFlags

    func run() throws {
        let kinds = runtimes.kinds.isEmpty ? nil : runtimes.kinds
        let context = Context()
        let network = try NetworkName(name)
        let removed: [String]
        if !FileSystem.exists(context.paths.recordFile(of: network)), case let cluster = try context.cluster(), cluster.isMember {
            removed = cluster.uninstallRuntimes(network, kinds: kinds)
        } else {
            removed = try context.controller.uninstall(network, kinds: kinds)
        }
        if removed.isEmpty { Output.note("nothing installed for '\(name)'") }
        for line in removed { Output.text(line) }
    }
}
