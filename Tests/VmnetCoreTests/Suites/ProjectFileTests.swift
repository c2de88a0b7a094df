import Foundation
import Testing
import VmnetCore

/// The project file's strict reader and the planner that turns it into `apply`'s steps.
@Suite struct ProjectFileTests {
    /// Every key of the schema, as README's example writes them.
    static let full = """
        {"version": 1, "project": "shop",
         "description": "the shop's networks",
         "networks": {
           "front": {"profile": "nat", "autostart": true, "mtu": 9000,
                     "lease_time": "12h", "dns_upstream": ["192.0.2.53"], "isolation": false,
                     "hosts": {"db": {"mac": "52:54:00:00:00:10", "ip": "10.140.20.10"}, "web": {}},
                     "forwards": [{"port": 8080, "target": "web", "target_port": 80},
                                  {"port": "9000-9010", "protocol": "udp", "target": "db"}],
                     "dhcp": {"routes": ["192.0.2.0/24", "198.51.100.0/24 via 10.140.20.5"], "ntp": ["10.0.0.5"], "search": ["corp.example"],
                              "boot": {"filename": "ipxe.efi", "tftp_root": "/srv/shop/tftp"}, "options": {"252": "http://wpad.corp.example/", "tftp-server-address": "10.140.20.5"}},
                     "dns": [{"name": "_http._tcp", "type": "SRV", "value": "0 5 80 web"},
                             {"name": "www", "type": "CNAME", "value": "web"},
                             {"name": "mail", "type": "MX", "value": "10 web"},
                             {"name": "info", "type": "TXT", "value": "shop front"}],
                     "host_access": "services", "egress": "internet",
                     "install": ["podman", "libvirt"]},
           "lab": {"profile": "host-only", "subnet": "10.150.3.0/24", "ipv6": false, "description": "no way out"}}}
        """

    static func parse(_ text: String) throws(VmnetError) -> ProjectFile {
        try ProjectFileParser.parse(text: text, file: "vmnet.json", path: "/src/shop/vmnet.json")
    }

    static func profile(_ name: String) throws(VmnetError) -> Profile {
        switch name {
        case "nat": return Profile(name: "nat")
        case "host-only": return Profile(name: "host-only", mode: .hostOnly)
        case "sandbox":
            var sandbox = Profile(name: "sandbox")
            sandbox.hostAccess = .services
            sandbox.egress = .internet
            return sandbox
        case "ovn-nat": return Profile(name: "ovn-nat", engine: .ovn)
        default: throw VmnetError(.notFound, "profile '\(name)' does not exist")
        }
    }

    static func message(_ text: String) -> String {
        do { _ = try parse(text) } catch { return error.message }
        return "accepted"
    }

    @Test func everyKeyIsReadAndNamesAreProjectNet() throws {
        let file = try Self.parse(Self.full)
        #expect(file.project == "shop" && file.path == "/src/shop/vmnet.json")
        #expect(file.networks.map(\.name.value) == ["shop-front", "shop-lab"])
        let front = file.networks[0]
        #expect(front.profile == "nat" && front.hosts.count == 2 && front.forwards.count == 2 && front.install == [.podman, .libvirt])
        #expect(front.hosts[0] == ProjectHost(name: "db", mac: MACAddress("52:54:00:00:00:10"), ip: IPv4Address("10.140.20.10")))
        #expect(front.forwards[1].port == 9000 && front.forwards[1].endPort == 9010 && front.forwards[1].proto == .udp)
        #expect(front.settings.map(\.key) == [
            "mtu", "isolation", "autostart", "lease_time", "dns_upstream", "host_access", "egress",
            "dhcp_routes", "dhcp_ntp", "dhcp_search", "dhcp_options", "dhcp_boot", "tftp_root", "dns_records",
        ])
        let lab = file.networks[1]
        #expect(lab.subnet == IPv4Subnet("10.150.3.0/24") && lab.ipv6 == false && lab.settings.isEmpty)
    }

    @Test func policyListsAreTheSetForms() throws {
        let file = try Self.parse(#"{"version": 1, "project": "shop", "networks": {"f": {"host_access": [22, "8000-8100/tcp", "53/udp"], "egress": ["192.168.1.10/32:5432/tcp", "0.0.0.0/0:443"]}}}"#)
        let expected = [try NetworkSetting("host_access=22,8000-8100/tcp,53/udp"), try NetworkSetting("egress=192.168.1.10/32:5432/tcp,0.0.0.0/0:443")]
        #expect(file.networks[0].settings == expected)
        #expect(Self.message(#"{"version": 1, "project": "shop", "networks": {"f": {"host_access": [22, true]}}}"#).contains("networks.f.host_access: true is not allowed"))
        #expect(Self.message(#"{"version": 1, "project": "shop", "networks": {"f": {"host_access": [70000]}}}"#).contains("networks.f.host_access: setting host_access"))
    }

    @Test func mistakesAreOneLocatedLine() {
        let cases: [(String, String)] = [
            (#"{"project": "shop", "networks": {}}"#, "vmnet.json:1: version: missing"),
            (#"{"version": 2, "project": "shop", "networks": {}}"#, "vmnet.json:1: version: version 2 was written by a newer vmnet"),
            (#"{"version": 1, "project": "Shop", "networks": {}}"#, "vmnet.json:1: project: project name 'Shop' is not valid"),
            (#"{"version": 1, "project": "shop", "networks": {}, "extra": 1}"#, "vmnet.json:1: extra: unknown key"),
            ("{\"version\": 1, \"project\": \"shop\",\n \"networks\": {\n  \"front\": {\n   \"mtu\": \"big\"}}}", "vmnet.json:4: networks.front.mtu: expected a whole number, found string"),
            ("{\"version\": 1, \"project\": \"shop\",\n \"networks\": {\n  \"front\": {\n   \"mtu\": 99999}}}", "vmnet.json:4: networks.front.mtu: setting mtu: \"99999\" is not allowed"),
            ("{\"version\": 1, \"project\": \"shop\",\n \"networks\": {\n  \"front\": {\"colour\": 1}}}", "vmnet.json:3: networks.front.colour: unknown key"),
            (#"{"version": 1, "project": "shop", "networks": {"a-very-long-network-key-name": {}}}"#, "networks.a-very-long-network-key-name: the network's name 'shop-a-very-long-network-key-name' (PROJECT-NET): network name"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"hosts": {"web": {"mac": "nope"}}}}}"#, "networks.f.hosts.web.mac: \"nope\" is not a MAC address"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"forwards": [{"port": 80}]}}}"#, "networks.f.forwards[0]: missing key 'target'"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"install": ["docker"]}}}"#, "networks.f.install: \"docker\" is not a runtime"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dns": [{"name": "www", "type": "PTR", "value": "x"}]}}}"#, "networks.f.dns[0].type: \"PTR\" is not a type"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"ipv6": false, "subnet6": "fd00:1:2:3::/64"}}}"#, "networks.f.ipv6: false contradicts subnet6"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dhcp": {"routes": ["192.0.2.0/24,198.51.100.0/24"]}}}}"#, "networks.f.dhcp.routes: \"192.0.2.0/24,198.51.100.0/24\" is not allowed"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dhcp": {"boot": {"tftp_root": "/srv"}}}}}"#, "networks.f.dhcp.boot: missing key 'filename'"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dhcp": {"boot": {"filename": "a b"}}}}}"#, "networks.f.dhcp.boot.filename: setting dhcp_boot:"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dhcp": {"boot": {"filename": "a", "tftp_root": "srv"}}}}}"#, "networks.f.dhcp.boot.tftp_root: setting tftp_root:"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dhcp": {"boot": {"filename": "a", "next_server": "nope"}}}}}"#, "networks.f.dhcp.boot.next_server: setting dhcp_next_server:"),
            (#"{"version": 1, "project": "shop", "networks": {"f": {"dhcp": {"ntp": ["nope"]}}}}"#, "networks.f.dhcp.ntp: setting dhcp_ntp:"),
        ]
        for (text, expected) in cases {
            let message = Self.message(text)
            #expect(message.contains(expected), "\(text) -> \(message)")
            #expect(!message.contains("\n"))
        }
    }

    /// Newlines, '#', quotes and 10 kB strings never reach dnsmasq: each is refused in one line.
    @Test func hostileValuesAreRefused() {
        let long = String(repeating: "a", count: 10_000)
        let hostile = ["x\\nserver=8.8.8.8", "x#y", "x\\\"y", long]
        let places = [
            #""lease_time": "V""#, #""dhcp": {"search": ["V"]}"#, #""dhcp": {"boot": {"filename": "V"}}"#,
            #""dhcp": {"boot": {"filename": "a", "tftp_root": "/srv/V"}}"#, #""dns": [{"name": "www", "type": "TXT", "value": "V"}]"#,
            #""dns": [{"name": "V", "type": "A", "value": "10.0.0.1"}]"#, #""hosts": {"V": {}}"#, #""forwards": [{"port": 80, "target": "V"}]"#,
            #""host_access": "V""#, #""egress": "V""#, #""profile": "V""#, #""dhcp": {"options": {"252": "V"}}"#, #""dhcp": {"options": {"V": "x"}}"#,
            #""dhcp": {"boot": {"filename": "a", "next_server": "V"}}"#,
        ]
        for place in places {
            for value in hostile {
                let text = #"{"version": 1, "project": "shop", "networks": {"f": {"# + place.replacingOccurrences(of: "V", with: value) + "}}}"
                let message = Self.message(text)
                // A forward's target and the profile are names looked up later: only their lookup can refuse them.
                if place.contains("forwards") || place.contains("profile") {
                    #expect(!message.contains("\n"))
                    continue
                }
                #expect(message != "accepted" && !message.contains("\n"), "\(place) with \(value.prefix(20)) -> \(message.prefix(300).debugDescription)")
            }
        }
    }

    @Test func aNewProjectIsCreatedHostsAndForwardsFirstThenUpThenInstalls() throws {
        let plan = try ProjectPlanner.plan(try Self.parse(Self.full), records: [], states: [:], replace: false, profile: Self.profile)
        try GoldenFile.check(plan.table, "project-plan-create.txt")
        guard case .create(let request, _) = plan.steps[0] else { Issue.record("first step \(plan.steps[0])"); return }
        #expect(request.owner == ProjectOwner(project: "shop", file: "/src/shop/vmnet.json") && request.autostart)
        #expect(plan.steps.filter { if case .create(let request, _) = $0 { request.noIPv6 } else { false } }.count == 1)
    }

    /// What `apply` made, read back: a second plan of the same file is empty.
    private static func applied(_ file: ProjectFile) throws -> (records: [NetworkRecord], states: [NetworkName: ProjectNetworkState]) {
        var records: [NetworkRecord] = []
        var states: [NetworkName: ProjectNetworkState] = [:]
        for (index, network) in file.networks.enumerated() {
            let profile = try Self.profile(network.profile ?? "nat")
            var record = Fixtures.network(network.name.value, subnet: network.subnet?.description ?? "10.140.\(20 + index).0/24",
                                          mode: profile.mode, subnet6: network.ipv6 == false ? nil : "fd42:1:2:\(index)::/64")
            record.profile = profile.name
            record.owner = file.owner
            record.hostAccess = profile.hostAccess
            record.egress = profile.egress
            record = try NetworkChange.plan(record, settings: network.settings, replace: false) { (_) throws(VmnetError) in record.subnet }.after
            records.append(record)
            let reservations = network.hosts.enumerated().map { offset, host in
                HostReservation(name: host.name, mac: host.mac ?? MACAddress("52:54:00:aa:00:0\(offset)")!, ip: host.ip ?? IPv4Address("10.140.20.\(50 + offset)")!)
            }
            states[record.name] = ProjectNetworkState(reservations: reservations, forwards: network.forwards, runtimes: network.install)
        }
        return (records, states)
    }

    @Test func aSecondPlanOfTheSameFileIsEmpty() throws {
        let file = try Self.parse(Self.full)
        let (records, states) = try Self.applied(file)
        #expect(try ProjectPlanner.plan(file, records: records, states: states, replace: false, profile: Self.profile).isEmpty)
    }

    @Test func anEditedFileChangesOnlyWhatDiffers() throws {
        let (records, states) = try Self.applied(try Self.parse(Self.full))
        // mtu back to the profile's (line removed), lease time changed, a host and a forward gone,
        // a new host, libvirt no longer installed, lab removed, a new network added.
        let edited = try Self.parse(Self.full
            .replacingOccurrences(of: #" "mtu": 9000,"#, with: "")
            .replacingOccurrences(of: #""lease_time": "12h""#, with: #""lease_time": "2h""#)
            .replacingOccurrences(of: #""web": {}}"#, with: #""cache": {}}"#)
            .replacingOccurrences(of: #"[{"port": 8080, "target": "web", "target_port": 80},"#, with: #"[{"port": 8080, "target": "db", "target_port": 80}]"#)
            .replacingOccurrences(of: #"{"port": "9000-9010", "protocol": "udp", "target": "db"}],"#, with: ",")
            .replacingOccurrences(of: #"["podman", "libvirt"]"#, with: #"["podman"]"#)
            .replacingOccurrences(of: #""lab": {"profile": "host-only", "subnet": "10.150.3.0/24", "ipv6": false, "description": "no way out"}"#,
                                  with: #""back": {"profile": "sandbox"}"#))
        let plan = try ProjectPlanner.plan(edited, records: records, states: states, replace: false, profile: Self.profile)
        try GoldenFile.check(plan.table, "project-plan-change.txt")
        #expect(plan.steps.last.map { if case .destroy(let name) = $0 { name.value == "shop-lab" } else { false } } == true)
    }

    @Test func networksMadeOtherwiseAreRefusedAndWhatCannotChangeInPlaceIsSaid() throws {
        let file = try Self.parse(Self.full)
        var (records, states) = try Self.applied(file)
        var byHand = records[0]
        byHand.owner = nil
        for other in [nil, ProjectOwner(project: "shop", file: "/elsewhere/vmnet.json")] {
            byHand.owner = other
            do {
                _ = try ProjectPlanner.plan(file, records: [byHand], states: states, replace: false, profile: Self.profile)
                Issue.record("a network made \(other.map(\.description) ?? "by hand") was taken over")
            } catch {
                #expect(error.code == .conflict && error.message.contains("network 'shop-front' exists and was made \(other == nil ? "by hand" : "by project 'shop' (/elsewhere/vmnet.json)")"), "\(error)")
            }
        }
        #expect(throws: VmnetError.self) { try ProjectPlanner.ownedNetworks(file, records: [byHand]) }
        #expect(try ProjectPlanner.ownedNetworks(file, records: records).map(\.value) == ["shop-front", "shop-lab"])
        // The profile, IPv6 and the subnet without --replace.
        records[1].profile = "nat"
        do {
            _ = try ProjectPlanner.plan(file, records: records, states: states, replace: false, profile: Self.profile)
            Issue.record("a profile changed in place")
        } catch {
            #expect(error.message.contains("'shop-lab' has profile nat, the file says host-only: that cannot change in place"), "\(error)")
        }
        records[1].profile = "host-only"
        records[1].subnet = IPv4Subnet("10.150.4.0/24")!
        do {
            _ = try ProjectPlanner.plan(file, records: records, states: states, replace: false, profile: Self.profile)
            Issue.record("a subnet moved without --replace")
        } catch {
            #expect(error.message.contains("add --replace"), "\(error)")
        }
        let moved = try ProjectPlanner.plan(file, records: records, states: states, replace: true, profile: Self.profile)
        #expect(moved.steps.count == 1 && moved.steps[0].detail.contains("subnet: 10.150.4.0/24 -> 10.150.3.0/24"))
        states = [:]
        _ = states
        let cluster = try Self.parse(#"{"version": 1, "project": "shop", "networks": {"c": {"profile": "ovn-nat"}}}"#)
        #expect(throws: VmnetError.self) { try ProjectPlanner.plan(cluster, records: [], states: [:], replace: false, profile: Self.profile) }
    }

    @Test func theExampleAppliesAsItIs() throws {
        let text = ProjectExample.text(project: "myproj")
        try GoldenFile.check(text, "project-example.json")
        let file = try ProjectFileParser.parse(text: text, file: "vmnet.json", path: "/p/vmnet.json")
        #expect(file.networks.map(\.name.value) == ["myproj-dev", "myproj-sandbox"])
        #expect(ProjectExample.projectName(directory: "/home/me/src/My_Shop.v2") == "my-shop-v2")
        #expect(ProjectExample.projectName(directory: "/") == "project")
    }
}

/// README's example is a file that plans: every key it shows is read.
@Suite struct ProjectReadmeTests {
    @Test func theREADMEsExampleParsesAndPlans() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "### A project file"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```\n", range: start.upperBound..<text.endIndex))
        let file = try ProjectFileParser.parse(text: String(text[start.upperBound..<end.lowerBound]), file: "README.md", path: "/src/shop/vmnet.json")
        #expect(file.networks.map(\.name.value) == ["shop-front", "shop-lab"])
        let plan = try ProjectPlanner.plan(file, records: [], states: [:], replace: false, profile: ProjectFileTests.profile)
        #expect(plan.steps.count == 9, "\(plan.table)")
    }
}
