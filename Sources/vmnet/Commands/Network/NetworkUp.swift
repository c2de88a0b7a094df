import ArgumentParser
import VmnetShell

struct NetworkUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring networks up: bridge, address, firewall rules and dnsmasq.",
        discussion: """
            Running it again changes nothing; it also repairs a network that lost its bridge, address, \
            rules or dnsmasq. It refuses (exit 4) when the subnet now collides with something, or when turning \
            IPv6 forwarding on would take the host's router-advertised default route away (see --fix-accept-ra). \
            --all (what the unit runs at boot) brings up the networks whose autostart is on, also those taken down \
            with 'vmnet down', and leaves the others as they are; a named network comes up whatever its autostart.
            """)

    @OptionGroup var selection: NetworkNames

    @OptionGroup var acceptRA: AcceptRAFlag

    func run() throws {
        let context = Context()
        // A gateway host's transit link is the kernel's (gone after a reboot): every up puts it back.
        let joined = try context.joinedCluster()
        if let cluster = joined, cluster.config?.gateway == true {
            try cluster.reapplyGateway()
        }
        var local = try selection.selection(context.controller)
        // --all (the unit at boot) also puts back this member's attachments to cluster networks.
        if local == nil, let cluster = joined {
            for network in try cluster.reattachAll() { Output.text("up: \(network.name) (\(network.subnet) on OVN, this host attached)") }
        }
        if let names = local {
            let split = try context.splitByEngine(names)
            for name in split.cluster {
                let network = try split.controller!.up(name)
                Output.text("up: \(network.name) (\(network.subnet) on OVN, this host attached)")
            }
            guard !split.local.isEmpty else { return }
            local = split.local
        }
        let records = try context.controller.up(local, fixAcceptRA: acceptRA.fix)
        for record in records { Output.text("up: \(record.name) (\(record.subnetDescriptions.joined(separator: " ")) on \(record.bridge))") }
    }
}
