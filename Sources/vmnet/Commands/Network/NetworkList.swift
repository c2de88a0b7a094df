import ArgumentParser
import JSON
import VmnetCore
import VmnetShell

struct NetworkList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List networks and their state.")

    @Flag(help: "Print a JSON array of network objects (a network whose record cannot be read has state \"broken\" and a \"problem\").")
    var json = false

    func run() throws {
        let context = Context()
        context.notePendingRecovery()
        let controller = context.controller
        let (statuses, broken) = try controller.statusOfAll()
        if json {
            var items: [(String, JSONValue)] = statuses.map { status in
                let installed: JSONValue
                do throws(VmnetError) { installed = try controller.installedRuntimes(status.record.name).json(versioned: false) } catch {
                    installed = .object(["problem": .string(error.message)])
                }
                return (status.record.name.value, NetworkReport.json(status, extra: ["installed": installed]))
            }
            items += broken.map { ($0.name.value, $0.json) }
            Output.json(.array(items.sorted { $0.0 < $1.0 }.map(\.1)))
        } else if statuses.isEmpty && broken.isEmpty {
            Output.note("no networks: 'vmnet create NAME' makes one")
        } else {
            Output.text(NetworkReport.table(statuses, broken: broken))
        }
    }
}
