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
        let (statuses, broken) = try controller.listing()
        // Local networks are printed even when the northbound database cannot be reached.
        var clusterNetworks: [ClusterNetwork] = []
        var clusterFailure: VmnetError?
        do throws(VmnetError) { clusterNetworks = try context.joinedCluster()?.networks() ?? [] } catch { clusterFailure = error }
        if json {
            var items: [(String, JSONValue)] = statuses.map { status in
                let installed: JSONValue
                do throws(VmnetError) { installed = try controller.installedRuntimes(status.record.name).json(versioned: false) } catch {
                    installed = .object(["problem": .string(error.message)])
                }
                return (status.record.name.value, NetworkReport.json(status, extra: ["installed": installed, "engine": .string(NetworkEngine.bridge.rawValue)]))
            }
            items += broken.map { ($0.name.value, $0.json) }
            let cluster = clusterNetworks.map { ClusterNetworkReport.json($0) }
            Output.json(.array(items.sorted { $0.0 < $1.0 }.map(\.1) + cluster))
        } else if statuses.isEmpty && broken.isEmpty && clusterNetworks.isEmpty {
            if clusterFailure == nil { Output.note("no networks: 'vmnet create NAME' makes one") }
        } else {
            if !statuses.isEmpty || !broken.isEmpty { Output.text(NetworkReport.table(statuses, broken: broken)) }
            if !clusterNetworks.isEmpty {
                if !statuses.isEmpty || !broken.isEmpty { Output.text("") }
                Output.text(ClusterNetworkReport.table(clusterNetworks))
            }
        }
        if let clusterFailure { throw clusterFailure }
    }
}
