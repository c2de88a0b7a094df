import Testing
import VmnetCore

/// libvirt's and podman's own networks beside vmnet's: their interface-bound rules and
/// device-bound DHCP sockets are none of vmnet's business.
@Suite("Other tools' networks on the same host")
struct PeerNetworkTests {
    /// libvirt 9.0's filter table with its `default` network started (iptables-nft, as saved).
    static let libvirt = """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :LIBVIRT_FWI - [0:0]
        :LIBVIRT_FWO - [0:0]
        :LIBVIRT_FWX - [0:0]
        :LIBVIRT_INP - [0:0]
        :LIBVIRT_OUT - [0:0]
        -A INPUT -j LIBVIRT_INP
        -A FORWARD -j LIBVIRT_FWX
        -A FORWARD -j LIBVIRT_FWI
        -A FORWARD -j LIBVIRT_FWO
        -A OUTPUT -j LIBVIRT_OUT
        -A LIBVIRT_FWI -d 192.168.122.0/24 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A LIBVIRT_FWI -o virbr0 -j REJECT --reject-with icmp-port-unreachable
        -A LIBVIRT_FWO -s 192.168.122.0/24 -i virbr0 -j ACCEPT
        -A LIBVIRT_FWO -i virbr0 -j REJECT --reject-with icmp-port-unreachable
        -A LIBVIRT_FWX -i virbr0 -o virbr0 -j ACCEPT
        -A LIBVIRT_INP -i virbr0 -p udp -m udp --dport 53 -j ACCEPT
        COMMIT
        """

    func plan(_ saved: String, elsewhere: Set<String>) throws -> IptablesCoexistencePlan {
        IptablesCoexistence.plan(try IptablesFilterTable.parse(saved), networks: [Fixtures.web], allBridges: [Fixtures.web.bridge], elsewhere: elsewhere)
    }

    @Test func libvirtsRejectsOnItsOwnBridgeNeedNoAccepts() throws {
        let plan = try plan(Self.libvirt, elsewhere: ["virbr0"])
        #expect(plan.forwardBlocker == nil)
        #expect(plan.restoreInput == nil)
    }

    @Test func unknownInterfacesStillBlock() throws {
        // Without knowing virbr0 is another tool's bridge (it could carry the default route).
        #expect(try plan(Self.libvirt, elsewhere: []).forwardBlocker == "a REJECT rule in LIBVIRT_FWI")
        // A negated or wildcard match may catch vmnet's bridges or the uplink.
        for rule in ["! -o virbr0", "-o virbr+", "-o vmn-web"] {
            let saved = Self.libvirt.replacing("-A LIBVIRT_FWI -o virbr0 -j REJECT", with: "-A LIBVIRT_FWI \(rule) -j REJECT")
            #expect(try plan(saved, elsewhere: ["virbr0", "vmn-web"]).forwardBlocker != nil, "\(rule)")
        }
    }

    @Test func acceptsAddedEarlierGoOnceNothingBlocks() throws {
        let withAccepts = Self.libvirt.replacing("-A INPUT -j LIBVIRT_INP\n", with: """
            -A INPUT -j LIBVIRT_INP
            -A FORWARD -m comment --comment vmnet -j VMNET-COEXIST-FWD
            :VMNET-COEXIST-FWD - [0:0]
            -A VMNET-COEXIST-FWD -i vmn-web -o vmn-web -m comment --comment "vmnet:web" -j ACCEPT

            """)
        let input = try #require(try plan(withAccepts, elsewhere: ["virbr0"]).restoreInput)
        #expect(input.contains("-X VMNET-COEXIST-FWD"), "\(input)")
    }

    /// A pool around libvirt's and podman's defaults never yields them, even free; an
    /// explicit subnet may take them.
    @Test func poolsSkipThePeersDefaultSubnets() throws {
        func plan(_ request: CreateRequest, pools: [String]) throws(VmnetError) -> NetworkRecord {
            try NetworkPlanner.record(for: request, profile: Profile(name: "nat", pools: pools.map { IPv4Subnet($0)! }), host: HostSnapshot(),
                                      existing: [], defaultFirewall: .nftables, created: "t", uniqueLocal: UniqueLocalPrefix(globalID: 0x42))
        }
        for index in 0..<64 {
            let picked = try plan(CreateRequest(name: try NetworkName("n\(index)")), pools: ["192.168.122.0/23"]).subnet
            #expect(picked == IPv4Subnet("192.168.123.0/24")!)
            let inPodmans = try plan(CreateRequest(name: try NetworkName("n\(index)")), pools: ["10.88.0.0/15"]).subnet
            #expect(!IPv4Subnet("10.88.0.0/16")!.overlaps(inPodmans))
        }
        do {
            _ = try plan(CreateRequest(name: try NetworkName("x")), pools: ["192.168.122.0/24"])
            Issue.record("expected the pool to be exhausted")
        } catch {
            #expect(error.code == .exhausted && error.message.contains("libvirt's default network (virbr0)"), "\(error.message)")
        }
        let explicit = CreateRequest(name: try NetworkName("x"), subnet: IPv4Subnet("192.168.122.0/24")!)
        #expect(try plan(explicit, pools: ["10.140.0.0/16"]).subnet == IPv4Subnet("192.168.122.0/24")!)
    }

    @Test func socketsBoundToAnInterfaceAreReadFromSS() {
        let output = """
            udp UNCONN 0      0                          192.168.122.1:53 0.0.0.0:* ino:10155273 sk:13dc cgroup:unreachable:1 <->
            udp UNCONN 0      0                         0.0.0.0%virbr0:67 0.0.0.0:* ino:10155270 sk:13de cgroup:unreachable:1 <->
            udp UNCONN 0      0                        0.0.0.0%vmn-web:67 0.0.0.0:* ino:10154848 sk:13df cgroup:unreachable:1 <->
            tcp LISTEN 0      32     [fe80::fe:5bff:fece:8bce]%vmn-web:53    [::]:* ino:10154856 sk:13e4 cgroup:unreachable:1 v6only:1 <->
            UNCONN 0      0                         0.0.0.0%podman0:67 0.0.0.0:* ino:7 sk:1 <->
            UNCONN 0      0                                0.0.0.0:67 0.0.0.0:* ino:8 sk:2 <->
            """
        #expect(SocketDeviceBinding.devices(ssOutput: output) == [10155270: "virbr0", 10154848: "vmn-web", 10154856: "vmn-web", 7: "podman0"])
    }
}

@Suite("A bridge set down and up")
struct BridgeFlapDiagnosisTests {
    @Test func theLinkLocalAddressIsReadFromIfInet6() {
        let text = """
            fd87b382b5771ef10000000000000001 05 40 00 80  vmn-web
            fe8000000000000000fe5bfffece8bce 05 40 20 80  vmn-web
            fe8000000000000000fe5bfffece8bce 06 40 20 80  vmn-other
            """
        let linkLocal = IPv6Address("fe80::fe:5bff:fece:8bce")!
        #expect(ProcIfInet6.has(linkLocal, on: "vmn-web", in: text))
        #expect(!ProcIfInet6.has(linkLocal, on: "vmn-lab", in: text))
        #expect(!ProcIfInet6.has(IPv6Address("fe80::1")!, on: "vmn-web", in: text))
    }

    @Test func aMissingLinkLocalAddressFailsTheIPv6GatewayCheck() {
        let network = Fixtures.web6
        let gateway6 = network.gateway6!
        let host = HostObservation(host: HostSnapshot(addresses6: [InterfaceAddress(interface: network.bridge, address: gateway6, prefixLength: 64)]))
        func verdict(_ present: Bool?) -> DoctorFinding? {
            NetworkDiagnosis.findings(for: network, observed: NetworkObservation(linkLocal6Present: present), host: host, networks: [network])
                .first { $0.check == "gateway6-address" }
        }
        #expect(verdict(true)?.status == .ok)
        #expect(verdict(nil)?.status == .ok)
        let missing = verdict(false)
        #expect(missing?.status == .fail && missing?.detail.contains("link-local address \(BridgeMAC.linkLocal(for: network.name))") == true)
        #expect(missing?.fix == "vmnet up web6")
    }
}
