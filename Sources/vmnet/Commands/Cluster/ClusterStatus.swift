import ArgumentParser
import VmnetCore

struct ClusterStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List the cluster's chassis: encap address, gateway, connected, networks bound there.",
        discussion: "Connected: its ovn-controller applied a fresh northbound change within 2 s.")

    @Flag(help: "Print a JSON array of objects with name, hostname, encap_ips, gateway, connected and networks.")
    var json = false

    func run() throws {
        let statuses = try Context().cluster().status()
        if json {
            Output.json(.array(statuses.map(\.json)))
        } else {
            Output.text(ChassisStatus.table(statuses))
        }
    }
}
