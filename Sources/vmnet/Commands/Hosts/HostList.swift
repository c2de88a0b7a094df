import ArgumentParser
import JSON
import VmnetCore

struct HostList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a network's reservations.")

    @Argument(help: "Network name.")
    var network: String

    @Flag(help: "Print a JSON array of objects with name, mac, ip and ip6 (null without IPv6).")
    var json = false

    func run() throws {
        let context = Context()
        let name = try NetworkName(network)
        if let cluster = try context.cluster(for: name) {
            let guests = try cluster.guests(of: name)
            if json {
                Output.json(.array(guests.map(\.json)))
            } else if guests.isEmpty {
                Output.note("no VMs on cluster network '\(name)': 'vmnet host add \(name) VM' adds one")
            } else {
                var table = TextTable(headers: ["NAME", "IP", "IP6", "MAC", "PORT"])
                for guest in guests {
                    table.append([guest.name, guest.ip.description, guest.ip6?.description ?? "-", guest.mac.description, guest.port])
                }
                Output.text(table.render())
            }
            return
        }
        let controller = context.controller
        _ = try controller.record(name)
        let reservations = try controller.reservations(name)
        if json {
            Output.json(.array(reservations.map(\.json)))
        } else if reservations.isEmpty {
            Output.note("no hosts reserved on '\(name)': 'vmnet host add \(name) HOST' reserves one")
        } else {
            var table = TextTable(headers: ["NAME", "IP", "IP6", "MAC"])
            for reservation in reservations {
                table.append([reservation.name, reservation.ip.description, reservation.ip6?.description ?? "-", reservation.mac.description])
            }
            Output.text(table.render())
        }
    }
}
