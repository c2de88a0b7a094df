import JSON
import Testing
import VmnetCore

@Suite struct RenderingTests {
    let files = DnsmasqFiles(runDirectory: "/run/vmnet/web", stateDirectory: "/var/lib/vmnet/networks/web")
    let labFiles = DnsmasqFiles(runDirectory: "/run/vmnet/lab", stateDirectory: "/var/lib/vmnet/networks/lab")

    @Test func dnsmasqNat() throws {
        try GoldenFile.check(DnsmasqConfig.render(Fixtures.web, files: files, upstream: [IPv4Address("127.0.0.53")!]), "dnsmasq-nat.conf")
    }

    @Test func dnsmasqHostOnlyWithMTU() throws {
        try GoldenFile.check(DnsmasqConfig.render(Fixtures.lab, files: labFiles, upstream: []), "dnsmasq-host-only-mtu.conf")
    }

    @Test func dnsmasqReadingHostFiles() throws {
        var network = Fixtures.web
        network.readHostFiles = true
        let text = DnsmasqConfig.render(network, files: files, upstream: [IPv4Address("192.0.2.53")!, IPv4Address("192.0.2.54")!])
        try GoldenFile.check(text, "dnsmasq-host-files.conf")
    }

    @Test func dnsmasqKeepsVmnetNamesLocalAndForwardsOnlyToReachablePeers() throws {
        var open = Fixtures.open
        open.subnet = IPv4Subnet("10.141.16.0/22")!
        let second = Fixtures.network("second", subnet: "10.140.12.0/24", isolation: false)
        let text = DnsmasqPeers([Fixtures.web, Fixtures.lab, open, second]).file(for: second)
        try GoldenFile.check(text, "dnsmasq-peers.conf")
        #expect(text.contains("server=/open.vmnet/16.141.10.in-addr.arpa/17.141.10.in-addr.arpa/18.141.10.in-addr.arpa/19.141.10.in-addr.arpa/10.141.16.1"))
        #expect(text.contains("server=/web.vmnet/7.140.10.in-addr.arpa/\n"))
        // An isolated network forwards no other network's names.
        #expect(!DnsmasqPeers([open, second]).file(for: Fixtures.web).contains(".1\n"))
    }

    @Test func reverseZonesFollowOctetBoundaries() {
        #expect(ReverseZone.names(for: IPv4Subnet("10.140.7.0/24")!) == ["7.140.10.in-addr.arpa"])
        #expect(ReverseZone.names(for: IPv4Subnet("10.140.0.0/16")!) == ["140.10.in-addr.arpa"])
        let half = ReverseZone.names(for: IPv4Subnet("10.140.7.128/25")!)
        #expect(half.count == 128 && half.first == "128.7.140.10.in-addr.arpa" && half.last == "255.7.140.10.in-addr.arpa")
        #expect(ReverseZone.names(for: IPv4Subnet("172.16.4.0/23")!) == ["4.16.172.in-addr.arpa", "5.16.172.in-addr.arpa"])
    }

    @Test func nftWithoutNetworksOnlyDeletesTheTable() throws {
        try GoldenFile.check(NftRuleset.table([], allBridges: []), "nft-empty.nft")
    }

    @Test func nftOneNatNetwork() throws {
        try GoldenFile.check(NftRuleset.table([Fixtures.web], allBridges: ["vmn-web"]), "nft-nat.nft")
    }

    @Test func nftMixed() throws {
        let networks = [Fixtures.web, Fixtures.lab, Fixtures.open]
        try GoldenFile.check(NftRuleset.table(networks, allBridges: networks.map(\.bridge) + ["vmn-ipt"]), "nft-mixed.nft")
    }

    @Test func nftUpdateAddsEverythingAndDeletesOnlyWhatWentAway() throws {
        let before = [Fixtures.web, Fixtures.lab]
        let after = [Fixtures.web, Fixtures.open]
        let text = NftRuleset.update(after, allBridges: after.map(\.bridge), previous: before, previousBridges: before.map(\.bridge), touched: [Fixtures.open])
        try GoldenFile.check(text, "nft-update.nft")
        let unchanged = NftRuleset.update(before, allBridges: before.map(\.bridge), previous: before, previousBridges: before.map(\.bridge), touched: [])
        #expect(unchanged.isEmpty)
        // Bringing up an existing network again re-adds (repairs) its elements, and only its.
        let again = NftRuleset.update(before, allBridges: before.map(\.bridge), previous: before, previousBridges: before.map(\.bridge), touched: [Fixtures.web])
        #expect(again.contains("\"vmn-web\" . \"vmn-web\"") && !again.contains("vmn-lab") && !again.contains("delete"))
    }

    @Test func iptablesMixed() throws {
        let networks = [Fixtures.web, Fixtures.lab, Fixtures.open]
        try GoldenFile.check(try #require(IptablesRuleset.render(IPv4Address.self, networks, allBridges: networks.map(\.bridge) + ["vmn-nft"])), "iptables-mixed.rules")
    }

    @Test func podmanNat() throws {
        try GoldenFile.check(PodmanNetworkConfig.render(Fixtures.web), "podman-nat.json")
    }

    @Test func podmanHostOnly() throws {
        try GoldenFile.check(PodmanNetworkConfig.render(Fixtures.lab), "podman-host-only.json")
    }

    @Test func podmanReservedNamesAreRefused() throws {
        #expect(PodmanNetworkConfig.problem(with: try NetworkName("host")) != nil)
        #expect(PodmanNetworkConfig.problem(with: try NetworkName("proj")) == nil)
        let json = try JSONCodec.parse(PodmanNetworkConfig.render(Fixtures.web), source: "podman")
        #expect(json["id"]?.stringValue == SHA256.hexDigest("web"))
    }

    @Test func cniNat() throws {
        try GoldenFile.check(CNIConflist.render(Fixtures.web), "cni-nat.conflist")
    }

    @Test func cniHostOnly() throws {
        try GoldenFile.check(CNIConflist.render(Fixtures.lab), "cni-host-only.conflist")
    }

    @Test func libvirtNetwork() throws {
        try GoldenFile.check(LibvirtXML.network(Fixtures.web), "libvirt-network.xml")
    }

    @Test func libvirtInterfaces() throws {
        try GoldenFile.check(LibvirtXML.interface(Fixtures.web), "libvirt-interface.xml")
        try GoldenFile.check(LibvirtXML.interface(Fixtures.lab, attachment: .bridge, mac: "02:00:00:00:00:01"), "libvirt-interface-bridge-mac-mtu.xml")
    }

    @Test func hostLists() throws {
        let reservations = [
            HostReservation(name: "web", mac: MACAddress("02:00:00:00:00:02")!, ip: IPv4Address("10.140.7.3")!),
            HostReservation(name: "db", mac: MACAddress("02:00:00:00:00:01")!, ip: IPv4Address("10.140.7.2")!),
        ]
        try GoldenFile.check(HostsFiles.dhcpHosts(reservations), "dhcp-hosts.txt")
        try GoldenFile.check(HostsFiles.addnHosts(reservations, domain: "web.vmnet"), "addn-hosts.txt")
    }

    @Test func networkReports() throws {
        let up = NetworkStatus(record: Fixtures.web, bridgePresent: true, dnsmasqPid: 4242, firewallPresent: true, ports: ["veth3", "vnet0"])
        var disabled = Fixtures.lab
        disabled.enabled = false
        disabled.autostart = false
        let down = NetworkStatus(record: disabled, bridgePresent: false, dnsmasqPid: nil, firewallPresent: false)
        let dual = NetworkStatus(record: Fixtures.web6, bridgePresent: true, dnsmasqPid: 4343, firewallPresent: true)
        try GoldenFile.check(NetworkReport.table([down, up, dual]), "list-table.txt")
        try GoldenFile.check(JSONCodec.serialize(.array([NetworkReport.json(down), NetworkReport.json(up), NetworkReport.json(dual)])), "list.json")
        try GoldenFile.check(NetworkReport.details(dual), "show-dual-stack.txt")
        let degraded = NetworkStatus(record: Fixtures.web, bridgePresent: false, dnsmasqPid: 4242, firewallPresent: true, ports: ["vnet0"])
        try GoldenFile.check(NetworkReport.details(degraded, extra: [("installed podman", "/etc/containers/networks/web.json")]), "show-degraded.txt")
    }

    @Test func profileReport() throws {
        try GoldenFile.check(JSONCodec.serialize(ProfileReport.json(Profile(name: "nat", description: "NAT"), file: "/usr/share/vmnet/profiles/nat.json")), "profile-nat.json")
    }

    @Test func leaseTable() throws {
        let entries = [
            LeaseEntry(network: "web", mac: "02:00:00:00:00:01", ip: IPv4Address("10.140.7.2")!, hostname: "db", expires: nil, source: .reserved),
            LeaseEntry(network: "web", mac: "02:00:00:00:00:09", ip: IPv4Address("10.140.7.201")!, hostname: nil, expires: 1_000_100, source: .dhcp),
            LeaseEntry(network: "web", mac: "02:00:00:00:00:0a", ip: IPv4Address("10.140.7.202")!, hostname: nil, expires: 1_000_200, source: .dhcp,
                       requestedName: "db", note: LeaseEntry.takenByReservation),
        ]
        try GoldenFile.check(LeaseEntry.table(entries, now: 1_000_000), "leases-table.txt")
        try GoldenFile.check(JSONCodec.serialize(.array(entries.map(\.json))), "leases.json")
    }
}
