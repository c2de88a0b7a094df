/// The DHCP and DNS option keys of `vmnet set`: lists separated by commas (DNS records and
/// DHCP options by semicolons, their fields holding spaces or commas); an empty value clears
/// the key.
extension NetworkSetting {
    public static let optionKeys = ["dhcp_routes", "dhcp_ntp", "dhcp_search", "dhcp_boot", "tftp_root", "dns_records", "dhcp_options", "dhcp_next_server"]

    var optionKey: String? {
        switch self {
        case .dhcpRoutes: return "dhcp_routes"
        case .dhcpNTP: return "dhcp_ntp"
        case .dhcpSearch: return "dhcp_search"
        case .dhcpBoot: return "dhcp_boot"
        case .tftpRoot: return "tftp_root"
        case .dhcpNextServer: return "dhcp_next_server"
        case .dnsRecords: return "dns_records"
        case .dhcpExtraOptions: return "dhcp_options"
        default: return nil
        }
    }

    /// nil when `key` is none of the option keys.
    static func option(key: String, value: String) throws(VmnetError) -> NetworkSetting? {
        func refuse(_ item: String, _ allowed: String) -> VmnetError {
            .invalid("setting \(key): \(item.debugDescription) is not allowed: use \(allowed)")
        }
        let items = value.isEmpty ? [] : value.split(separator: ["dns_records", "dhcp_options"].contains(key) ? ";" : ",", omittingEmptySubsequences: false).map(String.init)
        func each<Item>(_ parse: (String) -> Item?, _ allowed: String) throws(VmnetError) -> [Item] {
            var parsed: [Item] = []
            for item in items {
                guard let value = parse(item) else { throw refuse(item, allowed) }
                parsed.append(value)
            }
            return parsed
        }
        switch key {
        case "dhcp_routes":
            return .dhcpRoutes(try each({ DHCPRoute($0) }, "CIDR[ via IP] separated by commas, such as 192.0.2.0/24 via 10.0.0.5"))
        case "dhcp_ntp":
            return .dhcpNTP(try each({ IPv4Address($0) }, "IPv4 addresses separated by commas"))
        case "dhcp_search":
            for item in items where !DNSRecord.isDomain(item) { throw refuse(item, "domains separated by commas, such as corp.example") }
            return .dhcpSearch(items)
        case "dhcp_boot":
            guard value.isEmpty || DHCPOptions.isBootFile(value) else {
                throw refuse(value, "a file name of at most 127 printable characters without spaces, commas, quotes, '#' or '='")
            }
            return .dhcpBoot(value.isEmpty ? nil : value)
        case "tftp_root":
            guard value.isEmpty || DHCPOptions.isTFTPRoot(value) else {
                throw refuse(value, "an absolute path without commas, quotes, '#' or control characters")
            }
            return .tftpRoot(value.isEmpty ? nil : value)
        case "dhcp_next_server":
            guard value.isEmpty || IPv4Address(value) != nil else { throw refuse(value, "an IPv4 address (the TFTP or HTTP server holding the boot file), or nothing") }
            return .dhcpNextServer(value.isEmpty ? nil : IPv4Address(value))
        case "dns_records":
            var records: [DNSRecord] = []
            for item in items {
                do throws(VmnetError) { records.append(try DNSRecord(item.trimmingSpaces)) } catch { throw .invalid("setting dns_records: \(error.message)") }
            }
            return .dnsRecords(records)
        case "dhcp_options":
            return try dhcpOptions { () throws(VmnetError) in try items.map { (item) throws(VmnetError) in try DHCPOption(item) } }
        default:
            return nil
        }
    }

    /// `dhcp_options` from a JSON object's pairs (the project file's `dhcp.options`), the
    /// same setting as `dhcp_options=NAME=VALUE;…`.
    public static func dhcpOptions(_ pairs: [(key: String, value: String)]) throws(VmnetError) -> NetworkSetting {
        try dhcpOptions { () throws(VmnetError) in try pairs.map { (pair) throws(VmnetError) in try DHCPOption(option: pair.key, value: pair.value) } }
    }

    /// Each option once: two values for one option would leave the client's value to chance.
    private static func dhcpOptions(_ parse: () throws(VmnetError) -> [DHCPOption]) throws(VmnetError) -> NetworkSetting {
        let options: [DHCPOption]
        do throws(VmnetError) { options = try parse() } catch { throw .invalid("setting dhcp_options: \(error.message)") }
        for (index, option) in options.enumerated() {
            if let earlier = options[..<index].first(where: { $0.number == option.number }) {
                throw .invalid("setting dhcp_options: option \(option.number) is given twice (\(earlier) and \(option)): give it once, its values separated by commas")
            }
        }
        return .dhcpExtraOptions(options)
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
