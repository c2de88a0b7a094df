import Testing
import VmnetCore

@Suite struct ReservationTests {
    let network = Fixtures.web

    @Test func theNextFreeStaticAddressAndAStableMAC() throws {
        let first = try ReservationPlanner.reserve(host: "db", mac: nil, ip: nil, network: network, existing: [])
        #expect(first.ip.description == "10.140.7.2")
        let second = try ReservationPlanner.reserve(host: "web", mac: nil, ip: nil, network: network, existing: [first])
        #expect(second.ip.description == "10.140.7.3" && second.mac != first.mac)
        #expect(try ReservationPlanner.reserve(host: "db", mac: nil, ip: nil, network: network, existing: []).mac == first.mac)
    }

    @Test func refusals() throws {
        let taken = try ReservationPlanner.reserve(host: "a", mac: "52:54:00:00:00:01", ip: "10.140.7.10", network: network, existing: [])
        let cases: [(String?, String?, VmnetError.Code)] = [
            ("nope", nil, .invalidInput), (nil, "10.140.7.200", .invalidInput), (nil, "10.140.7.x", .invalidInput),
            (nil, "10.140.7.10", .conflict), ("52:54:00:00:00:01", nil, .conflict),
        ]
        for (mac, ip, code) in cases {
            do {
                _ = try ReservationPlanner.reserve(host: "b", mac: mac, ip: ip, network: network, existing: [taken])
                Issue.record("expected \(code) for \(mac ?? "-") \(ip ?? "-")")
            } catch {
                #expect(error.code == code, "\(error)")
            }
        }
        #expect(throws: VmnetError.self) { try ReservationPlanner.reserve(host: "Bad", mac: nil, ip: nil, network: network, existing: []) }
    }

    @Test func aFullStaticRangeIsExhausted() throws {
        var existing: [HostReservation] = []
        for index in 0..<network.plan.staticHosts.count {
            existing.append(try ReservationPlanner.reserve(host: "h\(index)", mac: nil, ip: nil, network: network, existing: existing))
        }
        do {
            _ = try ReservationPlanner.reserve(host: "one-more", mac: nil, ip: nil, network: network, existing: existing)
            Issue.record("expected exhaustion")
        } catch {
            #expect(error.code == .exhausted)
        }
    }

    @Test func leasesMergeWithReservationsAndContainers() throws {
        let reserved = HostReservation(name: "db", mac: MACAddress("02:00:00:00:00:01")!, ip: IPv4Address("10.140.7.2")!)
        let idle = HostReservation(name: "idle", mac: MACAddress("02:00:00:00:00:02")!, ip: IPv4Address("10.140.7.3")!)
        let leases = [
            DHCPLease(expires: 100, mac: reserved.mac, ip: reserved.ip, hostname: "db"),
            DHCPLease(expires: 200, mac: MACAddress("02:00:00:00:00:09")!, ip: IPv4Address("10.140.7.201")!, hostname: nil),
        ]
        let entries = LeaseEntry.merge(network: "web", leases: leases, reservations: [reserved, idle], containers: [(IPv4Address("10.140.7.64")!, "abc")])
        #expect(entries.map(\.ip.description) == ["10.140.7.2", "10.140.7.3", "10.140.7.64", "10.140.7.201"])
        #expect(entries.map(\.source) == [.reserved, .reserved, .container, .dhcp])
        #expect(entries[0].expires == 100 && entries[1].expires == nil)
    }
}
