import ArgumentParser
import JSON
import VmnetCore
import VmnetShell

struct NetworkShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one network in detail.")

    @Argument(help: "Network name.")
    var name: String

    @Flag(help: "Print the network as a JSON object.")
    var json = false

    func run() throws {
        let context = Context()
        context.notePendingRecovery()
        let controller = context.controller
        let networkName = try NetworkName(name)
        if let cluster = try context.splitByEngine([networkName]).controller, StateStore(paths: context.paths).entry(networkName) == nil,
           let network = try cluster.network(networkName) {
            let ports = try cluster.ports(of: network)
            if json { Output.json(ClusterNetworkReport.json(network, ports: ports)) } else { Output.text(ClusterNetworkReport.details(network, ports: ports)) }
            return
        }
        let status = try controller.status([networkName])[0]
        let record = status.record
        let installed = try controller.installedRuntimes(record.name)
        let files = try controller.runtimeFiles(record)
        let resolver = controller.hostResolverIsRunning
            ? "registered with systemd-resolved for ~\(record.domain) while up"
            : "to resolve *.\(record.domain) on the host, add '\(ResolvedPlanner.manualLine(record))' to a dnsmasq resolver (see integrations/)"
        if json {
            Output.json(NetworkReport.json(status, extra: [
                "installed": installed.json(versioned: false), "runtimes": .array(files.map(\.json)), "hosts": .integer(Int64(try controller.reservations(record.name).count)),
                "host_resolver": .string(controller.hostResolverIsRunning ? "systemd-resolved" : ResolvedPlanner.manualLine(record)),
            ]))
        } else {
            let lines = installed.summary.map { ("installed \($0.0)", $0.1) } + files.map(\.summary) + [("host resolver", resolver)]
            Output.text(NetworkReport.details(status, extra: lines))
        }
    }
}
