import Foundation
import Testing
import VmnetCore

@Suite struct ProfileParserTests {
    func parse(_ text: String) throws(ProfileError) -> Profile {
        try ProfileParser.parse(name: "p", file: "/etc/vmnet/profiles/p.json", text: text)
    }

    func error(_ text: String) -> ProfileError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func aFullProfileParses() throws {
        let profile = try parse("""
            {
              "description": "lab", "mode": "host-only", "pools": ["10.150.0.0/16", "10.151.0.0/20"], "prefix_length": 26,
              "address_plan": {"gateway": 1, "static": [2, 9], "containers": [10, 39], "dhcp": [40, 62]},
              "domain_suffix": "lab.test", "lease_time": "12h", "mtu": 1400, "dns_upstream": ["192.0.2.53"],
              "isolation": false, "firewall": "iptables", "read_host_files": true
            }
            """)
        #expect(profile.mode == .hostOnly && profile.prefixLength == 26 && profile.pools.count == 2)
        #expect(profile.planOffsets.dhcp == 40...62)
        #expect(profile.domainSuffix == "lab.test" && profile.leaseTime == "12h" && profile.mtu == 1400)
        #expect(profile.dnsUpstream == .servers([IPv4Address("192.0.2.53")!]))
        #expect(!profile.isolation && profile.firewall == .iptables && profile.readHostFiles)
    }

    @Test func defaultsApplyToAnEmptyObject() throws {
        let profile = try parse("{}")
        #expect(profile.mode == .nat && profile.pools == [IPv4Subnet("10.140.0.0/16")!] && profile.prefixLength == 24)
        #expect(profile.domainSuffix == "vmnet" && profile.dnsUpstream == .auto && profile.isolation && profile.firewall == nil)
        #expect(profile.ipv6 == .ula)
    }

    @Test func ipv6IsUlaOffOrPools() throws {
        #expect(try parse(#"{"ipv6": "off"}"#).ipv6 == .off)
        #expect(try parse(#"{"ipv6": "ula"}"#).ipv6 == .ula)
        #expect(try parse(#"{"ipv6": ["fd42:1::/48", "fd43::/64"]}"#).ipv6 == .pools([IPv6Subnet("fd42:1::/48")!, IPv6Subnet("fd43::/64")!]))
    }

    @Test(arguments: [
        ("{\n  \"mode\": \"nat\",\n  \"colour\": 1\n}", 3, "colour", "unknown key"),
        ("{\n  \"mode\": 3\n}", 2, "mode", "expected a string, found number"),
        ("{\n  \"mode\": \"bridge\"\n}", 2, "mode", "not a mode"),
        ("{\n  \"pools\": [\"10.1.2.3/16\"]\n}", 2, "pools", "did you mean 10.1.0.0/16"),
        ("{\n  \"pools\": [\"nope\"]\n}", 2, "pools", "not an IPv4 CIDR"),
        ("{\n  \"pools\": [\"10.0.0.0/8\", \"10.1.0.0/16\"]\n}", 2, "pools", "overlaps"),
        ("{\n\n  \"prefix_length\": 30\n}", 3, "prefix_length", "out of range"),
        ("{\n  \"lease_time\": \"1x\"\n}", 2, "lease_time", "not a lease time"),
        ("{\n  \"mtu\": 70000\n}", 2, "mtu", "out of range"),
        ("{\n  \"dns_upstream\": [\"1.2.3\"]\n}", 2, "dns_upstream", "IPv4 addresses"),
        ("{\n  \"address_plan\": {\"gateway\": 1, \"static\": [2, 100], \"containers\": [64, 191], \"dhcp\": [192, 254]}\n}", 2, "address_plan", "overlap"),
        ("{\n  \"isolation\": \"yes\"\n}", 2, "isolation", "expected a boolean"),
        ("{\n  \"firewall\": \"pf\"\n}", 2, "firewall", "not a firewall"),
        ("{\n  \"ipv6\": \"on\"\n}", 2, "ipv6", "not an IPv6 setting"),
        ("{\n  \"ipv6\": [\"fd42::1/48\"]\n}", 2, "ipv6", "did you mean fd42::/48"),
        ("{\n  \"ipv6\": [\"fd42:1:2:3::/80\"]\n}", 2, "ipv6", "smaller than one /64"),
        ("{\n  \"ipv6\": [\"fd42::/16\", \"fd42:1::/32\"]\n}", 2, "ipv6", "overlaps"),
        ("{\n  \"ipv6\": []\n}", 2, "ipv6", "non-empty array"),
    ])
    func errorsNameFileLineAndKey(text: String, line: Int, key: String, phrase: String) throws {
        let failure = try #require(error(text))
        #expect(failure.line == line && failure.key == key)
        #expect(failure.description.hasPrefix("/etc/vmnet/profiles/p.json:\(line): \(key): "))
        #expect(failure.reason.contains(phrase), "\(failure)")
    }

    @Test func invalidJSONNamesTheLine() throws {
        let failure = try #require(error("{\n  \"mode\": \"nat\"\n  \"mtu\": 1400\n}"))
        #expect(failure.line == 3 && failure.key == nil)
        #expect(failure.description.contains("not valid JSON"))
    }

    @Test func leaseTimesFollowDnsmasq() {
        for good in ["1h", "120", "2m", "7d", "infinite"] { #expect(ProfileParser.isLeaseTime(good), "\(good)") }
        for bad in ["1m", "h", "", "1.5h", "-1h", "10w"] { #expect(!ProfileParser.isLeaseTime(bad), "\(bad)") }
    }

    @Test func theEngineIsBridgeOrOVN() throws {
        #expect(try parse(#"{"engine": "ovn"}"#).engine == .ovn)
        #expect(try parse("{}").engine == .bridge)
        #expect(error(#"{"engine": "vxlan"}"#)?.key == "engine")
    }

    @Test(arguments: ["nat", "host-only", "ovn-nat", "ovn-host-only"])
    func theShippedProfilesParse(name: String) throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../profiles/\(name).json").standardized.path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let profile = try ProfileParser.parse(name: name, file: file, text: text)
        #expect(profile.mode.rawValue == name.replacingOccurrences(of: "ovn-", with: ""))
        #expect(profile.engine == (name.hasPrefix("ovn-") ? .ovn : .bridge))
        #expect(profile.pools.first == IPv4Subnet("10.140.0.0/16")! && profile.prefixLength == 24 && profile.isolation)
        // Cluster networks' subnets come from the cluster's claims: one pool, as before.
        #expect(profile.pools.count == (name.hasPrefix("ovn-") ? 1 : 3))
    }
}
