import JSON
import Testing
import VmnetCore

/// DHCP options and DNS records: `vmnet set`'s keys, the record, and dnsmasq's lines.
struct DHCPOptionsTests {
    let files = DnsmasqFiles(runDirectory: "/run/vmnet/web", stateDirectory: "/var/lib/vmnet/networks/web")

    private func plan(_ record: NetworkRecord, _ arguments: [String]) throws -> NetworkChange {
        let settings = try arguments.map { (argument) throws(VmnetError) in try NetworkSetting(argument) }
        return try NetworkChange.plan(record, settings: settings, replace: false) { (wanted) throws(VmnetError) in wanted! }
    }

    private func with(_ record: NetworkRecord, _ arguments: [String]) throws -> NetworkRecord { try plan(record, arguments).after }

    static let every = [
        "dhcp_routes=192.0.2.0/24,198.51.100.0/25 via 10.140.7.5", "dhcp_ntp=10.140.7.5,192.0.2.123", "dhcp_search=corp.example,lab.example",
        "dhcp_boot=ipxe.efi", "tftp_root=/srv/web/tftp",
        "dns_records=_http._tcp SRV 0 5 80 web;www CNAME web;api A 10.140.7.20;api AAAA fd42::20;info TXT v=spf1 -all;mail MX 10 mx.corp.example.",
        "dhcp_options=tftp-server-address=10.140.7.5;252=http://wpad.corp.example/wpad.dat;posix-timezone=CET-1CEST,M3.5.0,M10.5.0/3",
    ]

    @Test func optionsFileGolden() throws {
        let web = try with(Fixtures.web, Array(Self.every.prefix(3)))
        try GoldenFile.check(try #require(DnsmasqGuestOptions.optionsFile(web)), "dnsmasq-dhcp-options.txt")
        // Host-only: no default route among the classless ones.
        let lab = try with(Fixtures.lab, ["dhcp_routes=192.0.2.0/24"])
        #expect(DnsmasqGuestOptions.optionsFile(lab)?.contains("option:classless-static-route,192.0.2.0/24,10.140.9.1\n") == true)
        #expect(DnsmasqGuestOptions.optionsFile(Fixtures.web) == nil)
    }

    @Test func configGoldenWithBootTFTPAndRecords() throws {
        let web = try with(Fixtures.web, ["dhcp_boot=ipxe.efi", "tftp_root=/srv/web/tftp", "dhcp_ntp=10.140.7.5", Self.every[5]])
        try GoldenFile.check(DnsmasqConfig.render(web, files: files, upstream: [IPv4Address("127.0.0.53")!]), "dnsmasq-boot-records.conf")
        // A boot file served elsewhere names no next server and enables no TFTP.
        let bootOnly = DnsmasqGuestOptions.configLines(try with(Fixtures.web, ["dhcp_boot=pxelinux.0"]), files: files)
        #expect(bootOnly == ["dhcp-boot=pxelinux.0"])
        // ... unless one is named: the BOOTP next server (siaddr) clients fetch it from.
        let elsewhere = try with(Fixtures.web, ["dhcp_boot=pxelinux.0", "dhcp_next_server=10.140.7.9"])
        #expect(DnsmasqGuestOptions.configLines(elsewhere, files: files) == ["dhcp-boot=pxelinux.0,,10.140.7.9"])
        let text = JSONCodec.serialize(NetworkRecordCoding.encode(elsewhere))
        #expect(try NetworkRecordCoding.decode(text: text, file: "f") == elsewhere)
        #expect(try plan(elsewhere, ["dhcp_next_server="]).changes.map(\.description) == ["dhcp_next_server: 10.140.7.9 -> none"])
        #expect(DnsmasqGuestOptions.configLines(Fixtures.web, files: files).isEmpty)
    }

    @Test func iptablesAcceptsTFTPFromABridgeThatServesIt() throws {
        var web = try with(Fixtures.web, ["dhcp_boot=ipxe.efi", "tftp_root=/srv/web/tftp"])
        web.firewall = .iptables
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv4Address.self, [web], allBridges: [web.bridge])), "iptables-tftp.rules")
        #expect(IptablesRuleset.render(IPv6Address.self, [web], allBridges: [web.bridge])?.contains("dport 69") != true)
    }

    @Test func theRecordRoundTripsAndOldRecordsHaveNone() throws {
        let web = try with(Fixtures.web, Self.every)
        let text = JSONCodec.serialize(NetworkRecordCoding.encode(web))
        #expect(try NetworkRecordCoding.decode(text: text, file: "f") == web)
        // Without options the file has neither key (records written before them read the same).
        let encoded = NetworkRecordCoding.encode(Fixtures.web)
        #expect(encoded["dhcp"] == nil && encoded["dns_records"] == nil)
        let plain = JSONCodec.serialize(encoded)
        let old = try NetworkRecordCoding.decode(text: plain, file: "f")
        #expect(old.dhcpOptions.isEmpty && old.dnsRecords.isEmpty)
        let hostile = text.replacingOccurrences(of: "\"ipxe.efi\"", with: "\"ipxe.efi\\nenable-tftp\"")
        #expect(throws: VmnetError.self) { try NetworkRecordCoding.decode(text: hostile, file: "f") }
    }

    @Test func howEachKeyIsApplied() throws {
        let web = Fixtures.web
        let first = try plan(web, ["dhcp_ntp=10.0.0.5"])
        // The options file enters the main configuration: a restart.
        #expect(first.changes == [SettingChange(key: "dhcp_ntp", from: "none", to: "10.0.0.5", applications: [.dnsmasqRestart])])
        let withNTP = first.after
        // From then on SIGHUP re-reads it.
        #expect(try plan(withNTP, ["dhcp_search=corp.example"]).applications == [.dnsmasqReload])
        #expect(try plan(withNTP, ["dhcp_ntp=10.0.0.6", "dhcp_routes=192.0.2.0/24"]).applications == [.dnsmasqReload])
        #expect(try plan(withNTP, ["dhcp_ntp="]).changes == [SettingChange(key: "dhcp_ntp", from: "10.0.0.5", to: "none", applications: [.dnsmasqRestart])])
        #expect(try plan(web, ["dns_records=www CNAME web"]).applications == [.dnsmasqRestart])
        #expect(try plan(web, ["dhcp_boot=a.efi"]).applications == [.dnsmasqRestart])
        #expect(try plan(web, ["dhcp_boot=a.efi", "tftp_root=/srv"]).applications == [.dnsmasqRestart, .firewallRules])
        #expect(try plan(withNTP, ["dhcp_ntp=10.0.0.5"]).isEmpty)
    }

    @Test func badValuesAreRefusedInOneLine() throws {
        let hostile = [
            "dhcp_routes=192.0.2.1/24", "dhcp_routes=192.0.2.0/24 via", "dhcp_routes=192.0.2.0/24 by 10.140.7.5", "dhcp_ntp=10.0.0.5\nserver=1.1.1.1",
            "dhcp_search=corp..example", "dhcp_search=a b", "dhcp_boot=a b", "dhcp_boot=x,y", "dhcp_boot=x\ndhcp-range=1", "dhcp_boot=" + String(repeating: "a", count: 10_000),
            "tftp_root=relative", "tftp_root=/a,b", "tftp_root=/a\n/b",
            "dns_records=www CNAME", "dns_records=www PTR web", "dns_records=w w CNAME web", "dns_records=api A 10.0.0", "dns_records=api AAAA 10.0.0.1",
            "dns_records=_http SRV 0 5 80 web", "dns_records=_http._tcp SRV 0 5 99999 web", "dns_records=_http._tcp SRV 0 5 80",
            "dns_records=info TXT say \"hi\"", "dns_records=info TXT a\nb", "dns_records=info TXT #x", "dns_records=info TXT a,b",
            "dns_records=info TXT " + String(repeating: "a", count: 10_000), "dns_records=mail MX web", "dns_records=www CNAME web=1",
            "dns_records=" + String(repeating: "a", count: 64) + " A 10.0.0.1",
        ]
        for argument in hostile {
            do {
                _ = try NetworkSetting(argument)
                Issue.record("accepted \(argument.debugDescription)")
            } catch {
                #expect(error.code == .invalidInput && !error.message.contains("\n"), "\(error.message)")
            }
        }
    }

    @Test func theWholeRecordIsChecked() throws {
        for arguments in [
            ["dhcp_routes=192.0.2.0/24 via 10.9.9.9"], ["dhcp_routes=192.0.2.0/24 via 10.140.7.255"], ["tftp_root=/srv"],
            ["dhcp_next_server=10.0.0.9"], ["dhcp_boot=a", "tftp_root=/srv", "dhcp_next_server=10.0.0.9"],
        ] {
            do {
                _ = try plan(Fixtures.web, arguments)
                Issue.record("accepted \(arguments)")
            } catch let error as VmnetError {
                #expect(error.code == .invalidInput && error.message.hasPrefix("setting "), "\(error.message)")
            }
        }
    }

    @Test func dhcpOptionsByNameOrNumberGoToTheOptionsFile() throws {
        let web = try with(Fixtures.web, ["dhcp_options=ntp-server=10.0.0.5,10.0.0.6;252=http://wpad.corp.example/wpad.dat;domain-search=a.example,b.example"])
        let file = try #require(DnsmasqGuestOptions.optionsFile(web))
        #expect(file.hasSuffix("option:ntp-server,10.0.0.5,10.0.0.6\n252,http://wpad.corp.example/wpad.dat\noption:domain-search,a.example,b.example\n"), "\(file)")
        #expect(DnsmasqConfig.render(web, files: files, upstream: []).contains("dhcp-optsfile=\(files.dhcpOptionsFile)\n"))
        #expect(web.dhcpOptions.extra.map(\.number) == [42, 252, 119])
        // The project file's pairs make the same setting.
        let pairs = try NetworkSetting.dhcpOptions([(key: "ntp-server", value: "10.0.0.5,10.0.0.6"), (key: "252", value: "http://wpad.corp.example/wpad.dat"),
                                                    (key: "domain-search", value: "a.example,b.example")])
        #expect(try pairs == NetworkSetting("dhcp_options=ntp-server=10.0.0.5,10.0.0.6;252=http://wpad.corp.example/wpad.dat;domain-search=a.example,b.example"))
        #expect(try NetworkSetting("dhcp_options=") == .dhcpExtraOptions([]))
    }

    @Test func dhcpOptionsAreAppliedBySIGHUPOnceTheFileExistsAndShown() throws {
        let first = try plan(Fixtures.web, ["dhcp_options=42=10.0.0.5"])
        #expect(first.changes == [SettingChange(key: "dhcp_options", from: "none", to: "42=10.0.0.5", applications: [.dnsmasqRestart])])
        let second = try plan(first.after, ["dhcp_options=42=10.0.0.5;tftp-server-address=10.140.7.5"])
        #expect(second.changes.map(\.description) == ["dhcp_options: 42=10.0.0.5 -> 42=10.0.0.5;tftp-server-address=10.140.7.5"])
        #expect(second.applications == [.dnsmasqReload])
        let status = NetworkStatus(record: second.after, bridgePresent: false, dnsmasqPid: nil, firewallPresent: false)
        #expect(NetworkReport.details(status).contains("dhcp options: 42=10.0.0.5;tftp-server-address=10.140.7.5\n"))
        #expect(NetworkReport.json(status).objectValue?["dhcp_options"] == .array([.string("42=10.0.0.5"), .string("tftp-server-address=10.140.7.5")]))
    }

    @Test func optionsVmnetOwnsNameTheKeyToUse() throws {
        let expected = ["121=10.0.0.0/8,10.140.7.1": "option 121 (classless-static-route): use dhcp_routes", "classless-static-route=x": "use dhcp_routes",
                        "249=x": "use dhcp_routes", "mtu=9000": "option 26 (mtu): use mtu", "51=60": "use lease_time", "T1=30": "use lease_time",
                        "bootfile-name=a.efi": "use dhcp_boot", "router=10.0.0.1": "option 3 (router)", "0=x": "no option", "255=x": "no option",
                        "server-ip-address=10.0.0.1": "option 255 (server-ip-address): the next server", "ntp=10.0.0.5": "no option", "42": "expected NAME_OR_NUMBER=VALUE",
                        "42=10.0.0.5;ntp-server=10.0.0.6": "option 42 is given twice", "0042=x": "no option"]
        for (items, problem) in expected {
            do {
                _ = try NetworkSetting("dhcp_options=" + items)
                Issue.record("accepted \(items)")
            } catch {
                #expect(error.code == .invalidInput && error.message.hasPrefix("setting dhcp_options: ") && error.message.contains(problem), "\(error.message)")
            }
        }
        // Options with a key of their own: one of the two.
        #expect(throws: VmnetError.self) { try plan(Fixtures.web, ["dhcp_ntp=10.0.0.5", "dhcp_options=ntp-server=10.0.0.6"]) }
        #expect(throws: VmnetError.self) { try plan(try with(Fixtures.web, ["dhcp_options=119=a.example"]), ["dhcp_search=b.example"]) }
        #expect(try plan(Fixtures.web, ["dhcp_ntp=10.0.0.5", "dhcp_ntp=", "dhcp_options=ntp-server=10.0.0.6"]).after.dhcpOptions.ntp.isEmpty)
    }

    /// Issue 18: newlines, '#', quotes, '=' and 10 kB strings refused in one line by every
    /// option key, each appended to a value the key would take. TXT records keep '=' (SPF
    /// needs it; dnsmasq reads it quoted), so theirs is put in the name.
    @Test func hostileValuesAreRefusedByEveryOptionKey() throws {
        let valid = ["dhcp_routes": "192.0.2.0/24", "dhcp_ntp": "10.0.0.5", "dhcp_search": "corp.example", "dhcp_boot": "a.efi",
                     "tftp_root": "/srv/tftp", "dns_records": "info TXT hello", "dhcp_options": "252=http://wpad.example/",
                     "dhcp_next_server": "10.0.0.9"]
        #expect(Set(valid.keys) == Set(NetworkSetting.optionKeys))
        let long = String(repeating: "a", count: 10_000)
        for (key, value) in valid {
            _ = try NetworkSetting("\(key)=\(value)")
            var hostile = ["\n", "\nenable-tftp", "\r", "#x", " #x", "\"", "'", "\\", long].map { value + $0 } + [long + value, "\n" + value]
            hostile.append(key == "dns_records" ? "in=fo TXT hello" : value + "=x")
            for bad in hostile {
                do {
                    _ = try NetworkSetting("\(key)=\(bad)")
                    Issue.record("\(key) accepted \(bad.prefix(40).debugDescription)")
                } catch {
                    #expect(error.code == .invalidInput && !error.message.contains("\n") && !error.message.contains("\r"), "\(key): \(error.message.prefix(200))")
                }
            }
        }
    }
}
