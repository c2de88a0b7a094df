/// One `KEY=VALUE` of `vmnet set`, parsed and validated: a setting an existing network can
/// change. Values are written as profiles write them.
public enum NetworkSetting: Hashable, Sendable {
    case leaseTime(String)
    case dnsUpstream(DNSUpstream)
    case mtu(Int)
    case isolation(Bool)
    case autostart(Bool)
    /// A new subnet; nil asks for a fresh free one (`subnet=auto`).
    case subnet(IPv4Subnet?)
    case dhcpRoutes([DHCPRoute])
    case dhcpNTP([IPv4Address])
    case dhcpSearch([String])
    case dhcpBoot(String?)
    case tftpRoot(String?)
    case dhcpNextServer(IPv4Address?)
    case dnsRecords([DNSRecord])
    case dhcpExtraOptions([DHCPOption])

    case hostAccess(HostAccessPolicy)
    case egress(EgressPolicy)

    public static let keys = ["lease_time", "dns_upstream", "mtu", "isolation", "autostart", "subnet", "host_access", "egress"] + optionKeys

    public var key: String {
        switch self {
        case .leaseTime: return "lease_time"
        case .dnsUpstream: return "dns_upstream"
        case .mtu: return "mtu"
        case .isolation: return "isolation"
        case .autostart: return "autostart"
        case .subnet: return "subnet"
        case .hostAccess: return "host_access"
        case .egress: return "egress"
        default: return optionKey ?? ""
        }
    }

    /// Parses `KEY=VALUE`; a bad one is refused naming the key and what it allows.
    public init(_ argument: String) throws(VmnetError) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw .invalid("setting \(argument.debugDescription): expected KEY=VALUE with KEY one of \(NetworkSetting.keys.joined(separator: ", "))")
        }
        let key = String(argument[..<equals])
        let value = String(argument[argument.index(after: equals)...])
        // Quoted and escaped: a value with a newline still makes a one-line message.
        func refuse(_ allowed: String) -> VmnetError { .invalid("setting \(key): \(value.debugDescription) is not allowed: use \(allowed)") }
        switch key {
        case "lease_time":
            guard ProfileParser.isLeaseTime(value) else { throw refuse("seconds with an optional m, h or d (at least 2m), or infinite") }
            self = .leaseTime(value)
        case "dns_upstream":
            let allowed = "auto, none, or IPv4 addresses separated by commas"
            if value == "auto" {
                self = .dnsUpstream(.auto)
            } else if value == "none" {
                self = .dnsUpstream(.servers([]))
            } else {
                let parts = value.split(separator: ",", omittingEmptySubsequences: false)
                let servers = parts.compactMap { IPv4Address(String($0)) }
                guard !parts.isEmpty, servers.count == parts.count else { throw refuse(allowed) }
                self = .dnsUpstream(.servers(servers))
            }
        case "mtu":
            guard value.allSatisfy(\.isNumber), let mtu = Int(value), Profile.mtuRange.contains(mtu) else {
                throw refuse("a number from \(Profile.mtuRange.lowerBound) to \(Profile.mtuRange.upperBound)")
            }
            self = .mtu(mtu)
        case "isolation":
            guard let flag = ["true": true, "false": false][value] else { throw refuse("true or false") }
            self = .isolation(flag)
        case "autostart":
            guard let flag = ["true": true, "false": false, "on": true, "off": false][value] else { throw refuse("true or false (on or off)") }
            self = .autostart(flag)
        case "subnet":
            if value == "auto" {
                self = .subnet(nil)
            } else {
                guard let subnet = IPv4Subnet(value), subnet.description == value else {
                    throw refuse("an IPv4 CIDR such as 10.20.30.0/24 (its network address), or auto")
                }
                self = .subnet(subnet)
            }
        case "host_access":
            do throws(VmnetError) { self = .hostAccess(try HostAccessPolicy(value)) } catch { throw error.context("setting \(key)") }
        case "egress":
            do throws(VmnetError) { self = .egress(try EgressPolicy(value)) } catch { throw error.context("setting \(key)") }
        default:
            if let option = try NetworkSetting.option(key: key, value: value) {
                self = option
                return
            }
            throw .invalid("setting \(key.debugDescription): unknown key: use one of \(NetworkSetting.keys.joined(separator: ", "))")
        }
    }
}
