/// The DHCP and DNS option keys in a change. Routes, NTP servers and search domains live in
/// a `dhcp-optsfile`, which dnsmasq re-reads on SIGHUP (measured with dnsmasq 2.90: after
/// the file gained options 121, 249, 42 and 119 and a SIGHUP, a udhcpc asking for them got
/// all of them, same pid). The file is named in the main configuration only while the
/// network has such options, so the first ones and the removal of the last ones restart
/// dnsmasq. The boot file, TFTP and DNS records are lines of the main configuration
/// (`dhcp-boot`, `enable-tftp`, `cname`, `srv-host`…), which only a restart re-reads.
extension NetworkChange {
    static func apply(option setting: NetworkSetting, to record: inout NetworkRecord) {
        switch setting {
        case .dhcpRoutes(let routes): record.dhcpOptions.routes = routes
        case .dhcpNTP(let servers): record.dhcpOptions.ntp = servers
        case .dhcpSearch(let domains): record.dhcpOptions.search = domains
        case .dhcpBoot(let file): record.dhcpOptions.bootFile = file
        case .tftpRoot(let root): record.dhcpOptions.tftpRoot = root
        case .dhcpNextServer(let server): record.dhcpOptions.nextServer = server
        case .dnsRecords(let records): record.dnsRecords = records
        case .dhcpExtraOptions(let options): record.dhcpOptions.extra = options
        default: break
        }
    }

    /// What only the whole record can tell: routers inside the subnet, TFTP only with a boot file.
    static func checkOptions(_ record: NetworkRecord) throws(VmnetError) {
        for route in record.dhcpOptions.routes {
            if let via = route.via, !record.subnet.contains(via) || via == record.subnet.first || via == record.subnet.last {
                throw .invalid("setting dhcp_routes of '\(record.name)': \(via) (in \"\(route)\") is not a host of the network's subnet \(record.subnet): name a router inside it, or leave 'via' out to use the gateway")
            }
        }
        if record.dhcpOptions.tftpRoot != nil && record.dhcpOptions.bootFile == nil {
            throw .invalid("setting tftp_root of '\(record.name)': no boot file to serve: set dhcp_boot=FILENAME too")
        }
        if let server = record.dhcpOptions.nextServer {
            if record.dhcpOptions.bootFile == nil {
                throw .invalid("setting dhcp_next_server of '\(record.name)': no boot file to fetch from \(server): set dhcp_boot=FILENAME too")
            }
            if record.dhcpOptions.tftpRoot != nil {
                throw .invalid("setting dhcp_next_server of '\(record.name)': the network serves tftp_root itself, from its gateway: clear one of them")
            }
        }
        let keysSet = ["dhcp_ntp": !record.dhcpOptions.ntp.isEmpty, "dhcp_search": !record.dhcpOptions.search.isEmpty]
        for option in record.dhcpOptions.extra {
            guard let key = DHCPOption.ownKeys[option.number], keysSet[key] == true else { continue }
            throw .invalid("setting dhcp_options of '\(record.name)': option \(option.number) (\(option)) is also set by \(key): use one of them (\(key)= clears it)")
        }
    }

    static func optionDifferences(_ before: NetworkRecord, _ after: NetworkRecord) -> [SettingChange] {
        let old = before.dhcpOptions
        let new = after.dhcpOptions
        let optsfile: [ChangeApplication] = old.hasOptionsFile == new.hasOptionsFile ? [.dnsmasqReload] : [.dnsmasqRestart]
        func list<Item: CustomStringConvertible>(_ items: [Item], _ separator: String = ",") -> String {
            items.isEmpty ? "none" : items.map(\.description).joined(separator: separator)
        }
        var changes: [SettingChange] = []
        if old.routes != new.routes { changes.append(SettingChange(key: "dhcp_routes", from: list(old.routes), to: list(new.routes), applications: optsfile)) }
        if old.ntp != new.ntp { changes.append(SettingChange(key: "dhcp_ntp", from: list(old.ntp), to: list(new.ntp), applications: optsfile)) }
        if old.search != new.search { changes.append(SettingChange(key: "dhcp_search", from: list(old.search), to: list(new.search), applications: optsfile)) }
        if old.bootFile != new.bootFile {
            changes.append(SettingChange(key: "dhcp_boot", from: old.bootFile ?? "none", to: new.bootFile ?? "none", applications: [.dnsmasqRestart]))
        }
        if old.nextServer != new.nextServer {
            changes.append(SettingChange(
                key: "dhcp_next_server", from: old.nextServer?.description ?? "none", to: new.nextServer?.description ?? "none", applications: [.dnsmasqRestart]))
        }
        if old.tftpRoot != new.tftpRoot {
            // The iptables backend accepts TFTP from the bridge only while the network serves it.
            changes.append(SettingChange(key: "tftp_root", from: old.tftpRoot ?? "none", to: new.tftpRoot ?? "none", applications: [.dnsmasqRestart, .firewallRules]))
        }
        if old.extra != new.extra { changes.append(SettingChange(key: "dhcp_options", from: list(old.extra, ";"), to: list(new.extra, ";"), applications: optsfile)) }
        if before.dnsRecords != after.dnsRecords {
            changes.append(SettingChange(key: "dns_records", from: list(before.dnsRecords, ";"), to: list(after.dnsRecords, ";"), applications: [.dnsmasqRestart]))
        }
        return changes
    }
}
