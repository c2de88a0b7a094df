import ArgumentParser
import VmnetCore

struct ForwardAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Forward a host port (or range) to a guest.",
        discussion: "PORTS is [ADDRESS:]PORT[-PORT][/tcp|/udp] (tcp by default; without ADDRESS, every host address). TARGET is a reserved host, a container vmnet named on the network, or an address of the network, with an optional :PORT (a range keeps its ports).")

    @Argument(help: "Network name.")
    var network: String

    @Argument(help: "[ADDRESS:]PORT[-PORT][/tcp|/udp] on the host.")
    var ports: String

    @Argument(help: "HOST[:PORT] or ADDRESS[:PORT] in the network.")
    var target: String

    @Flag(help: "Print the forward as JSON.")
    var json = false

    func run() throws {
        let name = try NetworkName(network)
        let context = Context()
        if let cluster = try context.cluster(for: name) {
            let change = try cluster.addForward(name, ports: ports, target: target)
            let entries = change.forwards.map { ($0.forward, Optional($0.targetIP)) }
            if json { Output.json(ForwardReport.json(entries)) } else {
                for (forward, ip) in entries { Output.text(ForwardAdd.line(forward, ip: ip)) }
            }
            ForwardCommand.notePending(change)
            return
        }
        let controller = context.controller
        let (forward, ip) = try controller.addForward(name, ports: ports, target: target)
        if json {
            Output.json(ForwardReport.json([(forward, ip)]))
        } else {
            Output.text(ForwardAdd.line(forward, ip: ip))
        }
    }

    static func line(_ forward: PortForward, ip: IPv4Address?) -> String {
        let port = forward.targetPort.map { ":\($0)" } ?? ""
        return "forwarding \(forward.hostSide) to \(forward.target)\(port) (\(ip?.description ?? "-"))"
    }
}
