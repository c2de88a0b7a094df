import Testing
import VmnetCore

/// `dns_upstream: auto` with each resolv.conf distributions ship.
@Suite struct UpstreamAutoTests {
    let web = Fixtures.web

    func upstream(_ resolvConf: String, stub: Bool = false) -> [IPv4Address] {
        let host = HostSnapshot(nameservers: ResolvConf.nameservers(in: resolvConf), resolvedStubListening: stub)
        return DnsmasqConfig.upstreamServers(for: web, host: host, vmnetGateways: [web.gateway])
    }

    @Test func eachVariantGivesAServerDnsmasqInTheHostNamespaceReaches() {
        #expect(upstream("nameserver 127.0.0.53\noptions edns0 trust-ad\n", stub: true) == [IPv4Address("127.0.0.53")!])
        #expect(upstream("# NetworkManager\nnameserver 127.0.1.1\n") == [IPv4Address("127.0.1.1")!])
        #expect(upstream("nameserver 192.168.1.1\nnameserver 10.140.7.1\n") == [IPv4Address("192.168.1.1")!])
    }

    @Test func noNameserverIsOneLineSayingWhatToSet() {
        #expect(upstream("") == [])
        #expect(DnsmasqConfig.missingUpstreamWarning(for: web, upstream: []) == "forwarding DNS for 'web': /etc/resolv.conf names no nameserver vmnet can use "
            + "and systemd-resolved's stub does not listen, so guests resolve only the network's own names: vmnet set web dns_upstream=IP")
        #expect(DnsmasqConfig.missingUpstreamWarning(for: web, upstream: [IPv4Address("192.168.1.1")!]) == nil)
        var fixed = web
        fixed.dnsUpstream = .servers([])
        #expect(DnsmasqConfig.missingUpstreamWarning(for: fixed, upstream: []) == nil)
    }
}
