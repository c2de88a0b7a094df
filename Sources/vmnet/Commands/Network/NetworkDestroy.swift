import ArgumentParser
import VmnetCore
import VmnetShell

struct NetworkDestroy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Take networks down and forget them; their subnets are free again.",
        discussion: """
            Destroying a network that does not exist succeeds, with a note on standard error. With -f FILE it \
            destroys the networks 'vmnet apply' made from that project file (never one made by hand).
            """)

    @Argument(help: "Networks to destroy.")
    var names: [String] = []

    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("Destroy the networks 'vmnet apply' made from this project file.", valueName: "FILE"))
    var file: String?

    func validate() throws {
        if names.isEmpty && file == nil { throw ValidationError("name at least one network to destroy, or -f FILE") }
        if !names.isEmpty && file != nil { throw ValidationError("give network names or -f FILE, not both") }
    }

    func run() throws {
        let context = Context()
        let parsed: [NetworkName]
        if let file {
            parsed = try context.controller.ownedNetworks(try ProjectFileLoader.load(file))
            if parsed.isEmpty { return Output.note("\(file): no network of it exists: nothing to destroy") }
        } else {
            parsed = try names.map { (name) throws(VmnetError) in try NetworkName(name) }
        }
        let (local, clusterNames, cluster) = try context.splitByEngine(parsed)
        let destroyed = local.isEmpty ? [] : try context.controller.destroy(local)
        for name in local where !destroyed.contains(name) {
            Output.note("network '\(name)' does not exist: nothing to destroy")
        }
        for name in destroyed { Output.text("destroyed: \(name)") }
        for name in clusterNames {
            if try cluster?.destroy(name) == true {
                Output.text("destroyed: \(name)")
            } else {
                Output.note("network '\(name)' does not exist: nothing to destroy")
            }
        }
    }
}
