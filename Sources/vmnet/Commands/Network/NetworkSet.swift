import ArgumentParser
import VmnetCore
import VmnetShell

struct NetworkSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a network's settings in place, keeping its leases.",
        discussion: """
            Keys: lease_time (seconds with an optional m, h or d, at least 2m, or infinite), dns_upstream (auto, none, \
            or IPv4 addresses separated by commas), mtu (576 to 65535: bridge and DHCP option), isolation (true or false), autostart (on or off: read only by up --all at boot), \
            subnet (a CIDR or auto; only with --replace), dhcp_routes (CIDR[ via IP] separated by commas: options 121 \
            and 249), dhcp_ntp (IPv4 addresses), dhcp_search (domains), dhcp_boot (a file name), dhcp_next_server (the server holding it, when not tftp_root), tftp_root (an existing \
            directory served by TFTP on the bridge), dns_records (NAME TYPE VALUE separated by ';', TYPE one of A, AAAA, \
            CNAME, SRV, TXT, MX), dhcp_options (NAME_OR_NUMBER=VALUE separated by ';': any other DHCP option by \
            dnsmasq's name or number 1-254; options vmnet sets itself are refused naming their key), host_access \
            (services: guests reach only DHCP, DNS and ping on the host; all), egress \
            (NAT networks: internet: no private, CGNAT or link-local destinations; all: anywhere; none: nothing beyond \
            the host); an empty value clears an option. A running network gets only what each change needs, and the \
            output says which: dnsmasq restarted (lease time, upstream DNS, MTU; the lease file stays), bridge MTU set, \
            firewall rules updated (isolation, host_access, egress), applied by SIGHUP (routes, NTP, search, dhcp_options \
            once the network has one of them). A network that is down only has its record changed: it applies at the \
            next 'vmnet up'. Settings that already have their value change nothing ("nothing to change", exit 0). \
            Local networks only: cluster networks on OVN are refused (exit 2).
            """)

    @Argument(help: "The network to change.")
    var name: String

    @Argument(help: "Settings as KEY=VALUE, e.g. lease_time=12h mtu=9000.")
    var settings: [String] = []

    @Flag(help: "Allow a subnet change: the network moves to the new subnet and its guests must renew their leases.")
    var replace = false

    func validate() throws {
        if settings.isEmpty { throw ValidationError("give at least one KEY=VALUE: keys are \(NetworkSetting.keys.joined(separator: ", "))") }
    }

    func run() throws {
        let network = try NetworkName(name)
        let parsed = try settings.map { (argument) throws(VmnetError) in try NetworkSetting(argument) }
        let context = Context()
        if try !context.splitByEngine([network]).cluster.isEmpty {
            throw VmnetError.invalid("setting '\(network)': it is no local network: cluster networks on OVN cannot be changed with 'vmnet set'")
        }
        let outcome = try context.controller.set(network, settings: parsed, replace: replace)
        guard !outcome.change.isEmpty else { return Output.text("\(network): nothing to change") }
        for change in outcome.change.changes {
            let how = outcome.applied ? change.applications.map(\.description).joined(separator: ", ") : "recorded; applies at the next 'vmnet up'"
            Output.text("\(network): \(change): \(how)")
        }
    }
}
