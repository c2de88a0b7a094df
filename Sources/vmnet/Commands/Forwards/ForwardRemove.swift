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
        let name = try NetworkName(network)
        let context = Context()
        if let cluster = try context.cluster(for: name) {
            let change = try cluster.removeForward(name, ports: ports)
            for forward in change.forwards { Output.text("removed the forward \(forward.forward.hostSide) from \(network)") }
            ForwardCommand.notePending(change)
            return
        }
        let removed = try context.controller.removeForward(name, ports: ports)
        for forward in removed { Output.text("removed the forward \(forward.hostSide) from \(network)") }
    }
}
