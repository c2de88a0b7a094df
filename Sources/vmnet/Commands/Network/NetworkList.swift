import ArgumentParser
import JSON
import VmnetCore

struct NetworkList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List networks and their state.")

    @Flag(help: "Print a JSON array of network objects.")
    var json = false

    func run() throws {
        let statuses = try Context().controller.status(nil)
        if json {
            Output.json(.array(statuses.map { NetworkReport.json($0) }))
        } else if statuses.isEmpty {
            Output.note("no networks: 'vmnet create NAME' makes one")
        } else {
            Output.text(NetworkReport.table(statuses))
        }
    }
}
