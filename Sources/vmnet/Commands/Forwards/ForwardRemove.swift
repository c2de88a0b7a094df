import ArgumentParser
import VmnetCore

struct ForwardRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove a forward.",
        discussion: "Without /PROTO, the forwards of both protocols starting at PORT go.")

    @Argument(help: "Network name.")
    var network: String

    @Argument(help: "[ADDRESS:]PORT[/tcp|/udp] as added (a range by its first port).")
    var ports: String

    func run() throws {
        let removed = try Context().controller.removeForward(try NetworkName(network), ports: ports)
        for forward in removed { Output.text("removed the forward \(forward.hostSide) from \(network)") }
    }
}
