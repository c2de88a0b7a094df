import ArgumentParser
import JSON
import VmnetCore
import VmnetShell

struct NetworkCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a network and bring it up.",
        discussion: "Without --subnet, a free subnet is picked from the profile's pools; the same name prefers the same subnet. Without --subnet6 or --no-ipv6, the network also gets an IPv6 /64 as the profile's 'ipv6' key says (by default one from this host's random unique local /48, the same /64 for the same name). Creating an existing network again with the same options succeeds and changes nothing.")

    @Argument(help: "Network name: lower-case letters, digits and '-', at most 32 characters.")
    var name: String

    @Option(help: "Profile to create it from (see 'vmnet profiles').")
    var profile: String?

    @Option(help: "Use this subnet (CIDR) instead of picking one; refused if it collides with anything.")
    var subnet: String?

    @Option(help: "Use this IPv6 /64 instead of one from the profile's 'ipv6' setting; refused if it collides with anything.")
    var subnet6: String?

    @Flag(name: .customLong("no-ipv6"), help: "IPv4 only, whatever the profile's 'ipv6' setting says.")
    var noIPv6 = false

    @Option(help: "MTU of the bridge, forced on DHCP clients.")
    var mtu: Int?

    @Option(help: "Bridge name instead of the derived vmn-… one (at most 15 characters).")
    var bridge: String?

    @Option(help: "Firewall mechanism: nftables or iptables (default: the profile's, else nftables when nft is installed).")
    var firewall: String?

    @Flag(help: "Accept a subnet or profile pool outside the private and shared ranges (RFC 1918, 100.64.0.0/10, 198.18.0.0/15).")
    var allowPublic = false

    @OptionGroup var acceptRA: AcceptRAFlag

    @Flag(help: "Only record the network; bring it up later with 'vmnet up'.")
    var noStart = false

    @Flag(help: "Do not bring it up with 'vmnet up --all' (the unit at boot); 'vmnet autostart NAME on' changes it later.")
    var noAutostart = false

    @Flag(help: "Create a cluster network in the OVN northbound database, usable from every member (needs 'vmnet cluster join'); implied by a profile whose engine is ovn (default profile then: ovn-nat).")
    var cluster = false

    @Option(help: "With --cluster, NAT only: the gateway chassis the network goes out through, in priority order (H1,H2; default: this host).")
    var gateway: String?

    @Flag(help: "Print the network as JSON.")
    var json = false

    func run() throws {
        let context = Context()
        if try isCluster(context) {
            try createCluster(context)
            return
        }
        let request = try makeRequest()
        let (record, outcome) = try context.controller.create(request, start: !noStart, fixAcceptRA: acceptRA.fix)
        if json {
            let status = try context.controller.status([record.name])
            Output.json(NetworkReport.json(status[0]))
            return
        }
        let verb = outcome == .created ? "created" : "exists:"
        Output.text("\(verb) \(record.name): \(record.subnetDescriptions.joined(separator: " ")) on \(record.bridge) (\(record.mode.rawValue)), \(record.enabled ? "up" : "down"), domain \(record.domain)")
    }

    /// `--cluster`, or a profile whose engine is ovn.
    private func isCluster(_ context: Context) throws(VmnetError) -> Bool {
        if cluster { return true }
        if let profile, try ProfileCatalog(paths: context.paths).load(profile).profile.engine == .ovn { return true }
        if gateway != nil { throw .invalid("--gateway is for cluster networks: add --cluster, or leave it out for a network on this host") }
        return false
    }

    private func createCluster(_ context: Context) throws(VmnetError) {
        let local: [(String, Bool)] = [("--subnet6", subnet6 != nil), ("--mtu", mtu != nil), ("--bridge", bridge != nil),
                                       ("--firewall", firewall != nil), ("--no-start", noStart), ("--fix-accept-ra", acceptRA.fix),
                                       ("--no-autostart", noAutostart)]
        if let option = local.first(where: \.1)?.0 {
            throw .invalid("\(option) is for networks on this host, not cluster networks (OVN gives guests its MTU: the underlay's less 58)")
        }
        let base = try makeRequest()
        var gateways: [String]?
        if let gateway {
            let names = gateway.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !names.contains(where: \.isEmpty) else { throw .invalid("--gateway '\(gateway)': give chassis names separated by commas, e.g. h1,h2") }
            gateways = names
        }
        let request = ClusterCreateRequest(name: base.name, profile: profile, subnet: base.subnet, noIPv6: noIPv6, gateways: gateways,
                                           allowPublic: allowPublic)
        let (network, outcome) = try context.cluster().create(request)
        if json {
            Output.json(ClusterNetworkReport.json(network))
            return
        }
        let verb = outcome == .created ? "created" : "exists:"
        let subnets = [network.subnet.description] + (network.subnet6.map { [$0.description] } ?? [])
        let way = network.gateways.isEmpty ? "" : ", out through \(network.gateways.joined(separator: ","))"
        Output.text("\(verb) \(network.name): \(subnets.joined(separator: " ")) on OVN (\(network.mode.rawValue))\(way), mtu \(network.mtu), domain \(network.domain)")
    }

    private func makeRequest() throws(VmnetError) -> CreateRequest {
        var request = CreateRequest(name: try NetworkName(name), profile: profile, mtu: mtu, bridge: bridge)
        request.allowPublic = allowPublic
        request.autostart = !noAutostart
        if let subnet {
            switch IPv4Subnet.parse(subnet) {
            case .success(let parsed): request.subnet = parsed
            case .failure(.hostBitsSet(let suggestion)): throw .invalid("subnet '\(subnet)' has host bits set: did you mean \(suggestion)?")
            case .failure(.malformed): throw .invalid("subnet '\(subnet)' is not an IPv4 CIDR such as 10.140.7.0/24")
            }
        }
        if let subnet6 {
            guard let parsed = IPv6Subnet(subnet6) else {
                if let suggestion = IPv6Subnet.lenient(subnet6) { throw .invalid("subnet6 '\(subnet6)' has host bits set: did you mean \(suggestion)?") }
                throw .invalid("subnet6 '\(subnet6)' is not an IPv6 CIDR such as fd42:7:8:9::/64")
            }
            request.subnet6 = parsed
        }
        request.noIPv6 = noIPv6
        if let firewall {
            guard let kind = FirewallKind(rawValue: firewall) else { throw .invalid("firewall '\(firewall)' is not known: use nftables or iptables") }
            request.firewall = kind
        }
        return request
    }
}
