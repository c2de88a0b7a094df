import ArgumentParser
import VmnetCore

struct HostRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a host's reservation (or a VM from a cluster network).", aliases: ["remove"])

    @Argument(help: "Network name.")
    var network: String

    @Argument(help: "Host name.")
    var host: String

    func run() throws {
        let name = try NetworkName(network)
        let context = Context()
        if let cluster = try context.cluster(for: name) {
            try cluster.removeGuest(name, host: host)
        } else {
            try context.controller.removeHost(name, host: host)
        }
        Output.text("removed \(host) from \(network)")
    }
}
