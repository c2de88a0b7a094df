import Testing
import VmnetCore

@Suite struct AddressingTests {
    @Test func addressesParseStrictly() {
        #expect(IPv4Address("10.0.4.1")?.value == 0x0A00_0401)
        #expect(IPv4Address("255.255.255.255")?.description == "255.255.255.255")
        for bad in ["10.0.4", "10.0.4.256", "10.0.04.1", "a.b.c.d", "10.0.4.1.2", "", "1..2.3", " 1.2.3.4"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    @Test func subnetsRejectHostBitsAndSuggestTheNetwork() {
        #expect(IPv4Subnet("10.140.0.0/16")?.size == 65536)
        #expect(IPv4Subnet.parse("10.0.4.1/24") == .failure(.hostBitsSet(suggestion: IPv4Subnet("10.0.4.0/24")!)))
        #expect(IPv4Subnet.parse("10.0.4.0/33") == .failure(.malformed))
        #expect(IPv4Subnet.parse("10.0.4.0") == .failure(.malformed))
    }

    @Test func routeDestinationsAcceptBareAddressesAsSlash32() {
        #expect(IPv4Subnet(routeDestination: "10.0.0.1")?.description == "10.0.0.1/32")
        #expect(IPv4Subnet(routeDestination: "10.0.0.7/24")?.description == "10.0.0.0/24")
        #expect(IPv4Subnet(routeDestination: "default") == nil)
    }

    @Test func overlapWorksInBothDirections() {
        let big = IPv4Subnet("10.140.0.0/16")!, small = IPv4Subnet("10.140.5.0/24")!, other = IPv4Subnet("10.141.0.0/24")!
        #expect(big.overlaps(small) && small.overlaps(big))
        #expect(!small.overlaps(other) && !other.overlaps(big))
        #expect(small.netmask.description == "255.255.255.0")
        #expect(small.last.description == "10.140.5.255")
        #expect(small.contains(IPv4Address("10.140.5.200")!))
    }

    @Test func theDefaultSlash24PlanMatchesTheOriginalLayout() {
        let plan = AddressPlan(subnet: IPv4Subnet("10.0.4.0/24")!, offsets: .proportional(prefixLength: 24))
        #expect(plan.gateway.description == "10.0.4.1")
        #expect(plan.staticHosts.description == "10.0.4.2-10.0.4.63")
        #expect(plan.containers.description == "10.0.4.64-10.0.4.191")
        #expect(plan.dhcp.description == "10.0.4.192-10.0.4.254")
    }

    @Test(arguments: [8, 16, 20, 24, 26, 28])
    func plansForOtherPrefixLengthsStayInsideAndApart(prefixLength: Int) {
        let subnet = IPv4Subnet(containing: IPv4Address("10.0.0.0")!, prefixLength: prefixLength)
        let offsets = AddressPlan.Offsets.proportional(prefixLength: prefixLength)
        #expect(offsets.problem(prefixLength: prefixLength) == nil)
        let plan = AddressPlan(subnet: subnet, offsets: offsets)
        let ranges = [plan.staticHosts, plan.containers, plan.dhcp]
        for range in ranges {
            #expect(range.count > 0)
            #expect(subnet.contains(range.start) && subnet.contains(range.end))
            #expect(range.end < subnet.last && !range.contains(plan.gateway))
        }
        #expect(!plan.staticHosts.overlaps(plan.containers) && !plan.containers.overlaps(plan.dhcp) && !plan.staticHosts.overlaps(plan.dhcp))
    }

    @Test func offsetProblemsAreFound() {
        let overlapping = AddressPlan.Offsets(gateway: 1, staticHosts: 2...100, containers: 64...191, dhcp: 192...254)
        #expect(overlapping.problem(prefixLength: 24)?.contains("overlap") == true)
        let outside = AddressPlan.Offsets(gateway: 1, staticHosts: 2...63, containers: 64...191, dhcp: 192...255)
        #expect(outside.problem(prefixLength: 24)?.contains("does not fit") == true)
        let gatewayInside = AddressPlan.Offsets(gateway: 70, staticHosts: 2...63, containers: 64...191, dhcp: 192...254)
        #expect(gatewayInside.problem(prefixLength: 24)?.contains("gateway") == true)
    }

    @Test func macAddressesParseAndGenerateStably() {
        #expect(MACAddress("52:54:00:AA:bb:01".lowercased())?.description == "52:54:00:aa:bb:01")
        #expect(MACAddress("01:00:5e:00:00:01") == nil)
        #expect(MACAddress("52:54:00:aa:bb") == nil)
        let generated = MACAddress.generated(from: "proj/db")
        #expect(generated == MACAddress.generated(from: "proj/db"))
        #expect(generated != MACAddress.generated(from: "proj/web"))
        #expect(generated.bytes[0] & 0x03 == 0x02)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
