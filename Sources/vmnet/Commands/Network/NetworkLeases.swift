import ArgumentParser
import Glibc
import JSON
import VmnetCore

struct NetworkLeases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "Who holds which address: DHCP leases, reservations and containers, merged.",
        discussion: "Containers are shown as vmnet's OCI hook registered them (podman, both backends; installed by 'vmnet install --podman/--cni') and from CNI's host-local allocations.")

    @OptionGroup var selection: NetworkNames

    @Flag(help: "Print a JSON array of objects with network, mac, ip, hostname, expires and source.")
    var json = false

    func run() throws {
        let entries = try Context().controller.leases(try selection.selection())
        if json {
            Output.json(.array(entries.map(\.json)))
        } else if entries.isEmpty {
            Output.note("no leases, reservations or containers")
        } else {
            Output.text(LeaseEntry.table(entries, now: Int64(time(nil))))
        }
    }
}
