import ArgumentParser
import VmnetCore

struct HostAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Reserve an address and a MAC for a host; HOST.NET.vmnet resolves at once.",
        discussion: "Without --ip, the next free address of the static range; without --ip6 (networks with IPv6), the address at the same host offset in the IPv6 /64 (10.140.3.20 gives ...::14); without --mac, a locally administered MAC that is the same every time for this network and host.")

    @Argument(help: "Network name.")
    var network: String

    @Argument(help: "Host name: lower-case letters, digits and '-'.")
    var host: String

    @Option(help: "The host's MAC address, e.g. 52:54:00:12:34:56.")
    var mac: String?

    @Option(help: "An address in the network's static range.")
    var ip: String?

    @Option(help: "An address in the network's static IPv6 range (::2 to ::ffff of its /64).")
    var ip6: String?

    @Flag(help: "Print the reservation as JSON.")
    var json = false

    func run() throws {
        let name = try NetworkName(network)
        let context = Context()
        if let cluster = try context.cluster(for: name) {
            if ip6 != nil { throw VmnetError.invalid("--ip6 on cluster network '\(name)': its IPv6 address follows the IPv4 one (same host offset)") }
            let guest = try cluster.addGuest(name, host: host, mac: mac, ip: ip)
            if json {
                Output.json(guest.json)
            } else {
                Output.text("added \(guest.dnsName(in: name)): \(guest.ip)\(guest.ip6.map { " and \($0)" } ?? "") for \(guest.mac), port \(guest.port) ('vmnet export \(name) --format libvirt-interface --host \(host)' prints its interface)")
            }
            return
        }
        let controller = context.controller
        let reservation = try controller.addHost(name, host: host, mac: mac, ip: ip, ip6: ip6)
        if json {
            Output.json(reservation.json)
        } else {
            let record = try controller.record(name)
            Output.text("reserved \(reservation.name).\(record.domain): \(reservation.ip)\(reservation.ip6.map { " and \($0)" } ?? "") for \(reservation.mac)")
        }
    }
}
