import Foundation
import Testing
import VmnetCore

/// The shipped single-host profiles' fallback pools, for a host whose VPN routes 10.0.0.0/8.
@Suite struct FallbackPoolTests {
    static let singleHostProfiles = ["nat", "host-only", "sandbox"]

    func shipped(_ name: String) throws -> Profile {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../profiles/\(name).json").standardized.path
        return try ProfileParser.parse(name: name, file: file, text: try String(contentsOfFile: file, encoding: .utf8))
    }

    func plan(_ name: String, profile: Profile, host: HostSnapshot, existing: [NetworkRecord] = []) throws -> (NetworkRecord, String?) {
        let request = CreateRequest(name: try NetworkName(name))
        let record = try NetworkPlanner.record(for: request, profile: profile, host: host, existing: existing, defaultFirewall: .nftables, created: "now",
                                               uniqueLocal: nil)
        return (record, NetworkPlanner.fallbackNote(for: record, request: request, profile: profile, host: host, existing: existing))
    }

    static let vpn = HostRoute<IPv4Address>(destination: IPv4Subnet("10.0.0.0/8")!, device: "vpn0")
    static let vpnInPolicyTable = HostRoute<IPv4Address>(destination: IPv4Subnet("10.0.0.0/8")!, table: "51820", device: "vpn0")

    @Test(arguments: singleHostProfiles)
    func aVPNRouteInTheMainTableMovesToTheFirstFallback(profileName: String) throws {
        var profile = try shipped(profileName)
        profile.ipv6 = .off
        let (record, note) = try plan("web", profile: profile, host: HostSnapshot(routes: [Self.vpn]))
        #expect(IPv4Subnet("172.16.0.0/16")!.contains(record.subnet.network), "\(record.subnet)")
        #expect(note == "10.140.0.0/16 is taken by route 10.0.0.0/8 dev vpn0: using 172.16.0.0/16")
    }

    @Test func aVPNRouteInAPolicyTableIsNamedWithItsTable() throws {
        var profile = try shipped("nat")
        profile.ipv6 = .off
        let (record, note) = try plan("web", profile: profile, host: HostSnapshot(routes: [Self.vpnInPolicyTable]))
        #expect(IPv4Subnet("172.16.0.0/16")!.contains(record.subnet.network))
        #expect(note == "10.140.0.0/16 is taken by route 10.0.0.0/8 dev vpn0 table 51820: using 172.16.0.0/16")
    }

    @Test func withoutAVPNTheFirstPoolIsUsedAndNothingIsSaid() throws {
        var profile = try shipped("nat")
        profile.ipv6 = .off
        let (record, note) = try plan("web", profile: profile, host: HostSnapshot())
        #expect(IPv4Subnet("10.140.0.0/16")!.contains(record.subnet.network))
        #expect(note == nil)
        // The first pool keeps the subnet each name had before fallback pools existed.
        let single = try SubnetAllocator<IPv4Address>(claims: []).allocate(name: "web", pools: [IPv4Subnet("10.140.0.0/16")!], prefixLength: 24)
        #expect(record.subnet == single)
    }

    @Test func theSameNameGetsTheSameFallbackSubnet() throws {
        var profile = try shipped("nat")
        profile.ipv6 = .off
        let first = try plan("web", profile: profile, host: HostSnapshot(routes: [Self.vpn])).0.subnet
        #expect(try plan("web", profile: profile, host: HostSnapshot(routes: [Self.vpn])).0.subnet == first)
    }

    /// libvirt's default network is 192.168.122.0/24 (and it moves up from there on a clash);
    /// Docker's first pools are 172.17–31, podman's 10.88 and 10.89.
    @Test(arguments: singleHostProfiles)
    func noPoolOverlapsTheOtherToolsDefaults(profileName: String) throws {
        let defaults = ["192.168.122.0/24", "192.168.123.0/24", "172.17.0.0/16", "172.31.0.0/16", "10.88.0.0/16", "10.89.0.0/16"]
        for pool in try shipped(profileName).pools {
            for other in defaults { #expect(!pool.overlaps(IPv4Subnet(other)!), "\(pool) overlaps \(other)") }
        }
    }

    @Test func withTenAnd172TakenVmnetStillNeverPicksLibvirtsDefault() throws {
        var profile = try shipped("nat")
        profile.ipv6 = .off
        let host = HostSnapshot(routes: [Self.vpn, HostRoute(destination: IPv4Subnet("172.16.0.0/12")!, table: "51820", device: "vpn0")])
        var existing: [NetworkRecord] = []
        let libvirt = IPv4Subnet("192.168.122.0/24")!
        // The last fallback holds 16 networks; every one of them stays clear of libvirt's.
        for index in 0..<16 {
            let (record, note) = try plan("n\(index)", profile: profile, host: host, existing: existing)
            #expect(!record.subnet.overlaps(libvirt) && IPv4Subnet("192.168.240.0/20")!.contains(record.subnet.network))
            #expect(note?.hasSuffix(": using 192.168.240.0/20") ?? false)
            existing.append(record)
        }
        #expect(throws: VmnetError.self) { try plan("n16", profile: profile, host: host, existing: existing) }
    }
}
