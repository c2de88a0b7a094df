import Testing
import VmnetCore

@Suite struct AllocationTests {
    let pool = IPv4Subnet("10.140.0.0/16")!

    func allocate(_ name: String, _ host: HostSnapshot = HostSnapshot(), networks: [NetworkRecord] = []) throws -> IPv4Subnet {
        try SubnetAllocator(claims: ClaimCollector.claims(of: IPv4Address.self, host: host, networks: networks)).allocate(name: name, pools: [pool], prefixLength: 24)
    }

    @Test func theSameNameGetsTheSameSubnet() throws {
        #expect(try allocate("proj") == (try allocate("proj")))
        #expect(try allocate("proj") != (try allocate("other")))
        #expect(pool.contains(try allocate("proj").network))
    }

    @Test func aRouteOnThePreferredSlotPushesToAnother() throws {
        let preferred = try allocate("proj")
        let host = HostSnapshot(routes: [HostRoute(destination: preferred, device: "wg0")])
        let moved = try allocate("proj", host)
        #expect(moved != preferred && !moved.overlaps(preferred))
    }

    @Test func overlapsCountInBothDirections() throws {
        let preferred = try allocate("proj")
        // A /32 inside the candidate blocks it.
        let inside = HostSnapshot(addresses: [InterfaceAddress(interface: "eth0", address: preferred.host(77), prefixLength: 32)])
        #expect(try allocate("proj", inside) != preferred)
        // A route containing the whole pool blocks every candidate.
        let covering = HostSnapshot(routes: [HostRoute(destination: IPv4Subnet("10.128.0.0/9")!, device: "vpn0")])
        #expect(throws: VmnetError.self) { try allocate("proj", covering) }
    }

    @Test func vpnSplitAndDefaultRoutesDoNotBlock() throws {
        let host = HostSnapshot(routes: [
            HostRoute(destination: IPv4Subnet("0.0.0.0/1")!, device: "tun0"),
            HostRoute(destination: IPv4Subnet("128.0.0.0/1")!, device: "tun0"),
            HostRoute(destination: IPv4Subnet("0.0.0.0/0")!, device: "eth0"),
        ])
        #expect(try allocate("proj", host) == (try allocate("proj")))
    }

    @Test func localAndBroadcastRoutesAreLeftToTheAddressClaims() {
        let host = HostSnapshot(routes: [
            HostRoute(destination: IPv4Subnet("10.140.3.1/32")!, table: "local", device: "eth0", type: "local"),
            HostRoute(destination: IPv4Subnet("10.140.3.255/32")!, table: "local", device: "eth0", type: "broadcast"),
        ])
        #expect(ClaimCollector.claims(of: IPv4Address.self, host: host, networks: []).isEmpty)
    }

    @Test func everySourceBlocksAndIsNamed() {
        let host = HostSnapshot(
            routes: [HostRoute(destination: IPv4Subnet("10.140.1.0/24")!, table: "100", device: "wg0")],
            addresses: [InterfaceAddress(interface: "eth0", address: IPv4Address("10.140.2.5")!, prefixLength: 24)],
            foreignNetworks: [
                ForeignNetwork(owner: "podman", name: "pm", file: "/etc/containers/networks/pm.json", subnet: IPv4Subnet("10.140.3.0/24")!),
                ForeignNetwork(owner: "libvirt", name: "default", file: "/etc/libvirt/qemu/networks/default.xml", subnet: IPv4Subnet("10.140.4.0/24")!),
            ],
            nameservers: [IPv4Address("10.140.5.53")!])
        let allocator = SubnetAllocator(claims: ClaimCollector.claims(of: IPv4Address.self, host: host, networks: [Fixtures.network("old", subnet: "10.140.6.0/24", enabled: false)]))
        let expected = [
            "10.140.1.0/24": "route 10.140.1.0/24 dev wg0 table 100", "10.140.2.0/24": "address 10.140.2.5/24 on eth0",
            "10.140.3.0/24": "podman network 'pm'", "10.140.4.0/24": "libvirt network 'default'",
            "10.140.5.0/24": "nameserver 10.140.5.53", "10.140.6.0/24": "vmnet network 'old'",
        ]
        for (subnet, origin) in expected {
            let conflicts = allocator.conflicts(with: IPv4Subnet(subnet)!)
            #expect(conflicts.count == 1 && conflicts[0].origin.hasPrefix(origin), "\(subnet): \(conflicts)")
            #expect(!allocator.isFree(IPv4Subnet(subnet)!))
        }
        #expect(allocator.isFree(IPv4Subnet("10.140.7.0/24")!))
        #expect(allocator.conflicts(with: IPv4Subnet("10.140.0.0/21")!).count == 6)
    }

    @Test func vmnetBridgeRoutesAreReportedOnceAsTheNetwork() {
        let network = Fixtures.web
        let host = HostSnapshot(
            routes: [HostRoute(destination: network.subnet, device: network.bridge)],
            addresses: [InterfaceAddress(interface: network.bridge, address: network.gateway, prefixLength: 24)])
        #expect(ClaimCollector.claims(of: IPv4Address.self, host: host, networks: [network]).map(\.origin) == ["vmnet network 'web'"])
    }

    @Test func anExhaustedPoolNamesEachPoolAndWhatBlockedIt() {
        let pools = [IPv4Subnet("10.150.0.0/23")!, IPv4Subnet("10.151.0.0/24")!]
        let networks = [Fixtures.network("a", subnet: "10.150.0.0/24"), Fixtures.network("b", subnet: "10.150.1.0/24")]
        let host = HostSnapshot(routes: [HostRoute(destination: IPv4Subnet("10.151.0.0/16")!, device: "vpn0")])
        let allocator = SubnetAllocator(claims: ClaimCollector.claims(of: IPv4Address.self, host: host, networks: networks))
        do {
            _ = try allocator.allocate(name: "c", pools: pools, prefixLength: 24)
            Issue.record("expected exhaustion")
        } catch {
            #expect(error.code == .exhausted)
            #expect(error.message.contains("pool 10.150.0.0/23 is taken by vmnet network 'a', vmnet network 'b'"))
            #expect(error.message.contains("pool 10.151.0.0/24 is taken by route 10.151.0.0/16 dev vpn0"))
        }
    }

    @Test func tenThousandRoutesStillLeaveAFreeSubnetQuickly() throws {
        var routes: [HostRoute<IPv4Address>] = []
        for index in 0..<10_000 {
            // /28s all over 10.0.0.0/8, some inside the pool.
            routes.append(HostRoute(destination: IPv4Subnet(containing: IPv4Address(0x0A00_0000 | UInt32(index) << 9), prefixLength: 28), device: "r\(index % 7)"))
        }
        let subnet = try allocate("many", HostSnapshot(routes: routes))
        #expect(routes.allSatisfy { !$0.destination.overlaps(subnet) })
    }
}
