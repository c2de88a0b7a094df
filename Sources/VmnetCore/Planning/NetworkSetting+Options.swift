/// The DHCP and DNS option keys of `vmnet set`: lists separated by commas (DNS records by
/// semicolons, their fields holding spaces); an empty value clears the key.
extension NetworkSetting {
    static let optionKeys = ["dhcp_routes", "dhcp_ntp", "dhcp_search", "dhcp_boot", "dhcp_next_server", "tftp_root", "dns_records"]

    var optionKey: String? {
        switch self {
        case .dhcpRoutes: return "dhcp_routes"
        case .dhcpNTP: return "dhcp_ntp"
        case .dhcpSearch: return "dhcp_search"
        case .dhcpBoot: return "dhcp_boot"
        case .tftpRoot: return "tftp_root"
        case .dhcpNextServer: return "dhcp_next_server"
        case .dnsRecords: return "dns_records"
        default: return nil
        }
    }

    /// nil when `key` is none of the option keys.
    static func option(key: String, value: String) throws(VmnetError) -> NetworkSetting? {
        func refuse(_ item: String, _ allowed: String) -> VmnetError {
            .invalid("setting \(key): \(item.debugDescription) is not allowed: use \(allowed)")
        }
        let items = value.isEmpty ? [] : value.split(separator: key == "dns_records" ? ";" : ",", omittingEmptySubsequences: false).map(String.init)
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
        default:
            return nil
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
