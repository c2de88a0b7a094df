import ArgumentParser
import JSON
import VmnetCore

struct NetworkShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one network in detail.")

    @Argument(help: "Network name.")
    var name: String

    @Flag(help: "Print the network as a JSON object.")
    var json = false

    func run() throws {
        let status = try Context().controller.status([try NetworkName(name)])[0]
        if json {
            Output.json(NetworkReport.json(status))
        } else {
            Output.text(NetworkReport.details(status))
        }
    }
}
