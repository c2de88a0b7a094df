import ArgumentParser
import JSON
import VmnetCore
import VmnetShell

struct NetworkCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a network and bring it up.",
        discussion: "Without --subnet, a free subnet is picked from the profile's pools; the same name prefers the same subnet. Creating an existing network again with the same options succeeds and changes nothing.")

    @Argument(help: "Network name: lower-case letters, digits and '-', at most 32 characters.")
    var name: String

    @Option(help: "Profile to create it from (see 'vmnet profiles').")
    var profile: String?

    @Option(help: "Use this subnet (CIDR) instead of picking one; refused if it collides with anything.")
    var subnet: String?

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

    @Flag(help: "Print the network as JSON.")
    var json = false

    func run() throws {
        let request = try makeRequest()
        let context = Context()
        let (record, outcome) = try context.controller.create(request, start: !noStart, fixAcceptRA: acceptRA.fix)
        if json {
            let status = try context.controller.status([record.name])
            Output.json(NetworkReport.json(status[0]))
            return
        }
        let verb = outcome == .created ? "created" : "exists:"
        Output.text("\(verb) \(record.name): \(record.subnet) on \(record.bridge) (\(record.mode.rawValue)), \(record.enabled ? "up" : "down"), domain \(record.domain)")
    }

    private func makeRequest() throws(VmnetError) -> CreateRequest {
        var request = CreateRequest(name: try NetworkName(name), profile: profile, mtu: mtu, bridge: bridge)
        request.allowPublic = allowPublic
        if let subnet {
            switch IPv4Subnet.parse(subnet) {
            case .success(let parsed): request.subnet = parsed
            case .failure(.hostBitsSet(let suggestion)): throw .invalid("subnet '\(subnet)' has host bits set: did you mean \(suggestion)?")
            case .failure(.malformed): throw .invalid("subnet '\(subnet)' is not an IPv4 CIDR such as 10.140.7.0/24")
            }
        }
        if let firewall {
            guard let kind = FirewallKind(rawValue: firewall) else { throw .invalid("firewall '\(firewall)' is not known: use nftables or iptables") }
            request.firewall = kind
        }
        return request
    }
}
