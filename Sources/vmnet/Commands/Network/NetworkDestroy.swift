import ArgumentParser
import VmnetCore
import VmnetShell

struct NetworkDestroy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Take networks down and forget them; their subnets are free again.",
        discussion: "Destroying a network that does not exist succeeds, with a note on standard error.")

    @Argument(help: "Networks to destroy.")
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one network to destroy") }
    }

    func run() throws {
        let parsed = try names.map { (name) throws(VmnetError) in try NetworkName(name) }
        let context = Context()
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
