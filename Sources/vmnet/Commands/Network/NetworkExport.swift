import ArgumentParser
import VmnetCore

extension LibvirtXML.Attachment: ExpressibleByArgument {}

struct NetworkExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a network's configuration for a runtime.",
        discussion: """
            Formats: podman (netavark network file), cni (conflist), libvirt-network (a <network> \
            in bridge mode), libvirt-interface (a domain <interface> joining it).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case podman, cni
        case libvirtNetwork = "libvirt-network"
        case libvirtInterface = "libvirt-interface"
    }

    @Argument(help: "Network name.")
    var name: String

    @Option(help: "One of: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format

    @Option(help: "For libvirt-interface: 'network' joins the libvirt network 'vmnet install --libvirt' defines; 'bridge' attaches to the bridge directly.")
    var attach: LibvirtXML.Attachment = .network

    @Option(help: "For libvirt-interface: use this reserved host's MAC, so the VM gets its address and name.")
    var host: String?

    func run() throws {
        let context = Context()
        let networkName = try NetworkName(name)
        if let cluster = try context.cluster(for: networkName) {
            guard format == .libvirtInterface, let host else {
                throw VmnetError.invalid("cluster network '\(networkName)': only --format libvirt-interface --host VM is exported ('vmnet host add \(networkName) VM' first)")
            }
            Output.text(try cluster.guestInterface(networkName, host: host))
            return
        }
        let controller = context.controller
        let record = try controller.record(networkName)
        var mac: String?
        if let host {
            guard format == .libvirtInterface else { throw VmnetError.invalid("--host goes with --format libvirt-interface") }
            guard let reservation = try controller.reservations(record.name).first(where: { $0.name == host }) else {
                throw VmnetError.notFound("host '\(host)' is not reserved on '\(record.name)': 'vmnet host add \(record.name) \(host)' reserves it")
            }
            mac = reservation.mac.description
        }
        switch format {
        case .podman:
            if let problem = PodmanNetworkConfig.problem(with: record.name) { throw VmnetError.invalid(problem) }
            Output.text(PodmanNetworkConfig.render(record))
        case .cni: Output.text(CNIConflist.render(record))
        case .libvirtNetwork: Output.text(LibvirtXML.network(record))
        case .libvirtInterface: Output.text(LibvirtXML.interface(record, attachment: attach, mac: mac))
        }
    }
}
