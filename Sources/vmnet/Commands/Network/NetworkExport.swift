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

    func run() throws {
        let record = try Context().controller.store.require(try NetworkName(name))
        switch format {
        case .podman:
            if let problem = PodmanNetworkConfig.problem(with: record.name) { throw VmnetError.invalid(problem) }
            Output.text(PodmanNetworkConfig.render(record))
        case .cni: Output.text(CNIConflist.render(record))
        case .libvirtNetwork: Output.text(LibvirtXML.network(record))
        case .libvirtInterface: Output.text(LibvirtXML.interface(record, attachment: attach))
        }
    }
}
