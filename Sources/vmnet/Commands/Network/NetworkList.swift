import ArgumentParser
import JSON
import VmnetCore

struct NetworkList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List networks and their state.")

    @Flag(help: "Print a JSON array of network objects.")
    var json = false

    func run() throws {
        let controller = Context().controller
        let statuses = try controller.status(nil)
        if json {
            Output.json(.array(statuses.map { NetworkReport.json($0, extra: ["installed": controller.runtimes.installed($0.record.name).json()]) }))
        } else if statuses.isEmpty {
            Output.note("no networks: 'vmnet create NAME' makes one")
        } else {
            Output.text(NetworkReport.table(statuses))
        }
    }
}
