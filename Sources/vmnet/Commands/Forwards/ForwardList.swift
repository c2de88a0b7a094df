import ArgumentParser
import VmnetCore

struct ForwardList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a network's forwards.")

    @Argument(help: "Network name.")
    var network: String

    @Flag(help: "Print a JSON array of objects with address (null: every host address), port, end_port, protocol, target, target_ip and target_port.")
    var json = false

    func run() throws {
        let name = try NetworkName(network)
        let context = Context()
        let entries = try context.cluster(for: name).map { try $0.forwards(of: name).map { ($0.forward, Optional($0.targetIP)) } }
            ?? context.controller.listForwards(name)
        if json {
            Output.json(ForwardReport.json(entries))
        } else if entries.isEmpty {
            Output.note("no forwards on '\(name)': 'vmnet forward add \(name) PORT HOST' adds one")
        } else {
            Output.text(ForwardReport.table(entries))
        }
    }
}
