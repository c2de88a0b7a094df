import ArgumentParser
import VmnetShell

struct NetworkDown: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Take networks down: stop dnsmasq, remove rules and bridge; keep subnet and leases.",
        discussion: "While guests (taps, container veths) are attached to a bridge it refuses with exit status 4 and names them, unless --force; vmnet remembers them and 'vmnet up' attaches them again.")

    @OptionGroup var selection: NetworkNames

    @Flag(help: "Take it down even while guests (taps, container veths) are attached; 'vmnet up' attaches them again.")
    var force = false

    func run() throws {
        let context = Context()
        var local = try selection.selection(context.controller)
        if let names = local {
            let split = try context.splitByEngine(names)
            for name in split.cluster { Output.text("down: \(try split.controller!.down(name).name) (this host detached; the network stays in the cluster)") }
            guard !split.local.isEmpty else { return }
            local = split.local
        }
        let records = try context.controller.down(local, force: force)
        for record in records { Output.text("down: \(record.name)") }
    }
}
