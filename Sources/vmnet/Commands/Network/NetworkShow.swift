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
        let controller = Context().controller
        let status = try controller.status([try NetworkName(name)])[0]
        let installed = controller.runtimes.installed(status.record.name)
        if json {
            Output.json(NetworkReport.json(status, extra: ["installed": installed.json()]))
        } else {
            let lines = installed.summary.map { ("installed \($0.0)", $0.1) }
            Output.text(NetworkReport.details(status, extra: lines))
        }
    }
}
