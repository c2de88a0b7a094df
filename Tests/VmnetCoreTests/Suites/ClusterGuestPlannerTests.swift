import JSON
import Testing
import VmnetCore

/// VMs and member hosts on cluster networks: addresses chosen free in NB, the transactions
/// that add and remove their ports and names, the member's local port, its firewall chain
/// and the libvirt interface.
@Suite struct ClusterGuestPlannerTests {
    static func network(ipv6: Bool = false) -> ClusterNetwork {
        ClusterNetwork(
            name: try! NetworkName("shop"), profile: "ovn-host-only", mode: .hostOnly, subnet: IPv4Subnet("10.140.7.0/24")!,
            subnet6: ipv6 ? IPv6Subnet("fd42:1:2:3::/64") : nil, planOffsets: .proportional(prefixLength: 24), mtu: 1442, leaseTime: "1h",
            dnsServers: [IPv4Address("10.140.7.1")!], gateways: [], created: "2026-12-04T07:00:00Z")
    }

    /// The ports NB holds for the network: the router's, a VM's at .2 and a container's at .64.
    static let ports: [OVSDBRow] = [
        OVSDBRow(["_uuid": .uuid("u-router"), "name": .string("vmnet-shop-lrp-ls"), "addresses": .string("router"),
                  "external_ids": .map(OVNOwnership.marks(network: "shop"))]),
        OVSDBRow(["_uuid": .uuid("u-web"), "name": .string("vmnet-shop-web"), "addresses": .string("02:aa:00:00:00:02 10.140.7.2"),
                  "external_ids": .map(OVNOwnership.marks(network: "shop", ["vmnet-host": "web"]))]),
        OVSDBRow(["_uuid": .uuid("u-c"), "name": .string("vmnet-shop-c-0123456789ab"), "addresses": .set([.string("02:aa:00:00:00:40 10.140.7.64")]),
                  "external_ids": .map(OVNOwnership.marks(network: "shop"))]),
    ]
    static let options: [OVSDBRow] = [OVSDBRow(["_uuid": .uuid("u-dhcp4"), "cidr": .string("10.140.7.0/24")]),
                                      OVSDBRow(["_uuid": .uuid("u-dhcp6"), "cidr": .string("fd42:1:2:3::/64")])]

    @Test func aNewGuestTakesTheFirstFreeStaticAddressAndAStableMAC() throws {
        let network = Self.network()
        let (guest, isNew) = try ClusterGuestPlanner.guest(.guest, name: "db", on: network, mac: nil, ip: nil, ports: Self.ports)
        #expect(isNew)
        #expect(guest.ip == IPv4Address("10.140.7.3"))
        #expect(guest.port == "vmnet-shop-db")
        #expect(guest.mac == MACAddress.generated(from: "shop/db"))
        let again = try ClusterGuestPlanner.guest(.guest, name: "db", on: network, mac: nil, ip: nil, ports: [])
        #expect(again.guest.mac == guest.mac)
    }

    @Test func anExistingGuestIsReturnedUnlessTheRequestDisagrees() throws {
        let network = Self.network()
        let (web, isNew) = try ClusterGuestPlanner.guest(.guest, name: "web", on: network, mac: nil, ip: nil, ports: Self.ports)
        #expect(!isNew)
        #expect(web.ip == IPv4Address("10.140.7.2"))
        #expect(throws: VmnetError.self) { try ClusterGuestPlanner.guest(.guest, name: "web", on: network, mac: nil, ip: "10.140.7.9", ports: Self.ports) }
    }

    @Test func aChosenAddressMustBeAFreeHostAddressOfTheSubnet() throws {
        let network = Self.network()
        func code(_ ip: String) -> VmnetError.Code? {
            do { _ = try ClusterGuestPlanner.guest(.guest, name: "db", on: network, mac: nil, ip: ip, ports: Self.ports); return nil } catch { return error.code }
        }
        #expect(code("10.140.8.5") == .invalidInput)
        #expect(code("10.140.7.255") == .invalidInput)
        #expect(code("10.140.7.1") == .invalidInput)
        #expect(code("10.140.7.64") == .conflict)
        #expect(code("10.140.7.2") == .conflict)
        #expect(code("x") == .invalidInput)
        #expect(code("10.140.7.200") == nil)
        #expect(throws: VmnetError.self) { try ClusterGuestPlanner.guest(.guest, name: "db", on: network, mac: "02:aa:00:00:00:02", ip: nil, ports: Self.ports) }
        #expect(throws: VmnetError.self) { try ClusterGuestPlanner.guest(.guest, name: "Bad_Name", on: network, mac: nil, ip: nil, ports: []) }
    }

    @Test func aMemberIsNamedByItsChassisAndMayNotShareAVMsName() throws {
        let network = Self.network()
        let (member, _) = try ClusterGuestPlanner.guest(.member, name: "h2", on: network, mac: nil, ip: nil, ports: Self.ports)
        #expect(member.port == "vmnet-shop-host-h2")
        #expect(member.dnsName(in: network.name) == "h2.shop.vmnet")
        #expect(throws: VmnetError.self) { try ClusterGuestPlanner.guest(.member, name: "web", on: network, mac: nil, ip: nil, ports: Self.ports) }
    }

    @Test func theAddAndRemoveTransactions() throws {
        let network = Self.network(ipv6: true)
        let (guest, _) = try ClusterGuestPlanner.guest(.guest, name: "db", on: network, mac: nil, ip: nil, ports: Self.ports)
        #expect(guest.ip6 == IPv6Address("fd42:1:2:3::3"))
        try GoldenFile.check(ClusterGuestPlanner.addTransaction(guest, on: network.name, ports: Self.ports, dhcpOptions: Self.options).lines,
                             "ovn-guest-add.txt")
        try GoldenFile.check(ClusterGuestPlanner.removeTransaction(guest, portUUID: "u-db", on: network.name).lines, "ovn-guest-remove.txt")
        #expect(guest.reverseName == "3.7.140.10.in-addr.arpa")
    }

    @Test func aPortRowReadsBackAsTheGuestItWasWrittenFor() throws {
        let network = Self.network(ipv6: true)
        let (guest, _) = try ClusterGuestPlanner.guest(.member, name: "h3", on: network, mac: nil, ip: "10.140.7.20", ports: [])
        let operation = ClusterGuestPlanner.addTransaction(guest, on: network.name, ports: [], dhcpOptions: Self.options).operations[3]
        guard case .insert(_, let row, _) = operation else { Issue.record("no insert: \(operation)"); return }
        #expect(ClusterGuest(portRow: OVSDBRow(row)) == guest)
        #expect(ClusterGuestPlanner.guests(Self.ports).map(\.name) == ["web"])
    }

    @Test func theMembersLocalPortAndKernelSide() throws {
        let network = Self.network()
        let (member, _) = try ClusterGuestPlanner.guest(.member, name: "h2", on: network, mac: nil, ip: nil, ports: Self.ports)
        let local = MemberAttachmentPlanner.plugTransaction(member, on: network.name, mtu: network.mtu).lines
            + MemberAttachmentPlanner.unplugTransaction(portUUID: "u-port", on: network.name).lines
            + MemberAttachmentPlanner.linkOperations(member, on: network).map(\.description).joined(separator: "\n") + "\n"
            + MemberAttachmentPlanner.registerResolver(network).map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n"
        try GoldenFile.check(local, "ovn-member-attach.txt")
        let plugged = OVSDBRow(["name": .string(OVNNames.memberInterface(network.name)), "mac": .string(member.mac.description),
                                "mtu_request": .integer(1442), "external_ids": .map(["iface-id": member.port])])
        #expect(MemberAttachmentPlanner.isPlugged(plugged, member: member, mtu: 1442))
        #expect(!MemberAttachmentPlanner.isPlugged(plugged, member: member, mtu: 1400))
    }

    @Test func theMemberForwardChain() throws {
        try GoldenFile.check(MemberForwardRuleset.install + MemberForwardRuleset.remove, "ovn-member-forward.nft")
        #expect(MemberForwardRuleset.isEmpty(listing: "table inet vmnet-cluster {\n}\n"))
        #expect(!MemberForwardRuleset.isEmpty(listing: "table inet vmnet-cluster {\n\tchain postrouting {\n\t}\n}\n"))
    }

    @Test func theLibvirtInterfaceOnBrInt() throws {
        let guest = ClusterGuest(kind: .guest, name: "web", port: "vmnet-shop-web", mac: MACAddress("02:aa:00:00:00:02")!, ip: IPv4Address("10.140.7.2")!)
        try GoldenFile.check(LibvirtXML.clusterInterface(guest, mtu: 1442), "libvirt-interface-ovn.xml")
    }
}
