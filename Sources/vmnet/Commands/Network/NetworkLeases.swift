import ArgumentParser
import Glibc
import JSON
import VmnetCore
import VmnetShell

struct NetworkLeases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "Who holds which address: DHCP leases, reservations and containers, merged.",
        discussion: "Containers are shown as vmnet's OCI hook registered them (podman, both backends; installed by 'vmnet install --podman/--cni') and from CNI's host-local allocations.")

    @OptionGroup var selection: NetworkNames

    @Flag(help: "Print a JSON array of objects with network, mac, ip, hostname, expires and source.")
    var json = false

    func run() throws {
        let context = Context()
        var local = try selection.selection(context.controller)
        var clusterPorts: [(ClusterNetwork, [ClusterPort])] = []
        if let names = local {
            let split = try context.splitByEngine(names)
            for name in split.cluster {
                guard let network = try split.controller!.network(name) else {
                    throw VmnetError.notFound("network '\(name)' does not exist on this host or in the cluster: 'vmnet list' shows them")
                }
                clusterPorts.append((network, try split.controller!.ports(of: network)))
            }
            local = split.local
        }
        let entries = local?.isEmpty == true ? [] : try context.controller.leases(local)
        if json {
            let ports = clusterPorts.flatMap { network, ports in ports.filter { $0.type != "router" }.map { port in
                var object = ClusterNetworkReport.portJSON(port).objectValue ?? JSONObject()
                object["network"] = .string(network.name.value)
                object["source"] = "ovn"
                return JSONValue.object(object)
            } }
            Output.json(.array(entries.map(\.json) + ports))
        } else if entries.isEmpty && clusterPorts.isEmpty {
            Output.note("no leases, reservations or containers")
        } else {
            if !entries.isEmpty { Output.text(LeaseEntry.table(entries, now: Int64(time(nil)))) }
            for (network, ports) in clusterPorts { Output.text(ClusterNetworkReport.portsTable(network, ports: ports)) }
        }
    }
}
