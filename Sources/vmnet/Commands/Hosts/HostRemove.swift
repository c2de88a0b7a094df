import ArgumentParser
import VmnetCore

struct HostRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a host's reservation.")

    @Argument(help: "Network name.")
    var network: String

    @Argument(help: "Host name.")
    var host: String

    func run() throws {
        try Context().controller.removeHost(try NetworkName(network), host: host)
        Output.text("removed \(host) from \(network)")
    }
}
