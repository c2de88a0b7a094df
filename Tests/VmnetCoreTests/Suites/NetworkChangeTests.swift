import Testing
import VmnetCore

@Suite struct NetworkChangeTests {
    private func plan(_ record: NetworkRecord, _ arguments: [String], replace: Bool = false,
                      allocated: IPv4Subnet = IPv4Subnet("10.150.1.0/24")!) throws -> NetworkChange {
        let settings = try arguments.map { (argument) throws(VmnetError) in try NetworkSetting(argument) }
        return try NetworkChange.plan(record, settings: settings, replace: replace) { (wanted) throws(VmnetError) in wanted ?? allocated }
    }

    @Test func eachKeyNamesHowItIsApplied() throws {
        let web = Fixtures.web
        #expect(try plan(web, ["lease_time=12h"]).changes == [SettingChange(key: "lease_time", from: "1h", to: "12h", applications: [.dnsmasqRestart])])
        #expect(try plan(web, ["dns_upstream=192.0.2.53,192.0.2.54"]).changes
            == [SettingChange(key: "dns_upstream", from: "auto", to: "192.0.2.53,192.0.2.54", applications: [.dnsmasqRestart])])
        #expect(try plan(web, ["mtu=9000"]).changes == [SettingChange(key: "mtu", from: "1500", to: "9000", applications: [.bridgeMTU, .dnsmasqRestart])])
        #expect(try plan(web, ["isolation=false"]).changes == [SettingChange(key: "isolation", from: "true", to: "false", applications: [.firewallRules])])
        let both = try plan(web, ["isolation=false", "mtu=9000", "lease_time=2h"])
        #expect(both.after.mtu == 9000 && both.after.leaseTime == "2h" && !both.after.isolation)
        // Each application once, in order, however many keys need it.
        #expect(both.applications == [.bridgeMTU, .dnsmasqRestart, .firewallRules])
        #expect(try plan(web, ["dns_upstream=none"]).after.dnsUpstream == .servers([]))
        // autostart is read only by `up --all` at boot: the record alone changes.
        let autostart = try plan(web, ["autostart=off"])
        #expect(autostart.changes == [SettingChange(key: "autostart", from: "true", to: "false", applications: [.recordOnly])])
        #expect(autostart.applications.isEmpty && !autostart.after.autostart)
    }

    @Test func equalValuesChangeNothing() throws {
        let web = Fixtures.web
        let same = try plan(web, ["lease_time=1h", "dns_upstream=auto", "mtu=1500", "isolation=true", "subnet=10.140.7.0/24"], replace: true)
        #expect(same.isEmpty && same.applications.isEmpty && same.after == web)
        // A later value of a key wins: back to where it was is no change.
        #expect(try plan(web, ["mtu=9000", "mtu=1500"]).isEmpty)
        #expect(try plan(Fixtures.lab, ["mtu=9000"]).isEmpty)
    }

    @Test func theSubnetChangesOnlyWithReplace() throws {
        let web = Fixtures.web
        do {
            _ = try plan(web, ["subnet=10.150.0.0/24"])
            Issue.record("a subnet change without --replace was planned")
        } catch let error as VmnetError {
            #expect(error.code == .invalidInput && error.message.contains("--replace"))
        }
        let moved = try plan(web, ["subnet=10.150.0.0/24", "mtu=9000"], replace: true)
        #expect(moved.after.subnet == IPv4Subnet("10.150.0.0/24")! && moved.after.planOffsets == web.planOffsets)
        // Bringing the network up anew covers the MTU too.
        #expect(moved.applications == [.readdress])
        let fresh = try plan(web, ["subnet=auto"], replace: true)
        #expect(fresh.after.subnet == IPv4Subnet("10.150.1.0/24")!)
        let wider = try plan(web, ["subnet=10.150.0.0/23"], replace: true)
        #expect(wider.after.planOffsets == .proportional(prefixLength: 23))
    }

    @Test func aFreshSubnetAvoidsTheCurrentOneAndAnExplicitOneMayOverlapIt() throws {
        let web = Fixtures.web
        let profile = Profile(name: "nat", pools: [IPv4Subnet("10.140.6.0/23")!], prefixLength: 24)
        let host = HostSnapshot(addresses: [InterfaceAddress(interface: web.bridge, address: web.gateway, prefixLength: 24)])
        #expect(try NetworkChange.replacementSubnet(for: web, wanted: nil, profile: profile, host: host, others: []) == IPv4Subnet("10.140.6.0/24")!)
        #expect(try NetworkChange.replacementSubnet(for: web, wanted: IPv4Subnet("10.140.6.0/23")!, profile: profile, host: host, others: [])
            == IPv4Subnet("10.140.6.0/23")!)
        #expect(throws: VmnetError.self) {
            try NetworkChange.replacementSubnet(for: web, wanted: IPv4Subnet("10.140.11.0/24")!, profile: profile, host: host, others: [Fixtures.open])
        }
    }

    @Test func badInputNamesTheKeyAndWhatIsAllowed() {
        let cases: [(String, String)] = [
            ("lease_time=1m", "lease_time"), ("lease_time=", "lease_time"), ("mtu=575", "576 to 65535"), ("mtu=abc", "mtu"),
            ("mtu=65536", "mtu"), ("isolation=yes", "true or false"), ("dns_upstream=1.2.3", "auto, none"),
            ("dns_upstream=1.1.1.1,", "dns_upstream"), ("subnet=10.0.0.1/24", "network address"), ("colour=blue", "unknown key"),
            ("lease_time", "KEY=VALUE"), ("lease_time=1h\nport=53", "lease_time"),
        ]
        for (argument, expected) in cases {
            do {
                _ = try NetworkSetting(argument)
                Issue.record("'\(argument)' was accepted")
            } catch {
                #expect(error.code == .invalidInput && error.message.contains(expected) && !error.message.contains("\n"), "\(argument): \(error.message)")
            }
        }
    }
}
