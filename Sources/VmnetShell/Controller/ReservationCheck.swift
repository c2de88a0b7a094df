import Glibc
import VmnetCore

/// After `host add`/`rm`, asks the network's running dnsmasq for the name: a reload it did
/// not take (a list it cannot read, a dnsmasq that ignored SIGHUP) fails loudly instead of
/// leaving the reservation silently unserved.
public enum ReservationCheck {
    /// `ip`: the address the name must now resolve to, or nil for a removed host; `ip6`: its
    /// IPv6 address, checked as AAAA once the A record is served (both come from one list).
    public static func confirm(
        _ network: NetworkRecord, host: String, ip: IPv4Address?, ip6: IPv6Address? = nil, files: DnsmasqFiles, dnsmasq: DnsmasqSupervisor
    ) throws(VmnetError) {
        guard dnsmasq.runningPid(files) != nil else { return }
        let name = "\(host).\(network.domain)"
        // A removed host that holds a lease keeps its name from the lease: nothing to see.
        if ip == nil, DHCPLease.parse(FileSystem.readIfPresent(files.leaseFile) ?? "").contains(where: { $0.hostname == host }) { return }
        var answer: [IPv4Address]? = nil
        // SIGHUP is handled asynchronously; dnsmasq took ~1 ms here.
        for _ in 0..<100 {
            answer = DNSProbe.addresses(of: name, server: network.gateway)
            if let answer, let ip, answer.contains(ip) { return try confirm6(network, name: name, ip6: ip6) }
            if let answer, ip == nil, answer.isEmpty { return }
            usleep(20_000)
        }
        let got = answer.map { $0.isEmpty ? "NXDOMAIN" : $0.map(\.description).joined(separator: ", ") } ?? "no answer"
        let wanted = ip.map { "\($0)" } ?? "NXDOMAIN"
        throw .failed("checking that dnsmasq for '\(network.name)' serves the change: \(name) at \(network.gateway) answers \(got), not \(wanted), after reloading its host lists: run 'vmnet reload \(network.name)' or 'vmnet down \(network.name) && vmnet up \(network.name)'")
    }

    private static func confirm6(_ network: NetworkRecord, name: String, ip6: IPv6Address?) throws(VmnetError) {
        guard let ip6 else { return }
        let answer = DNSProbe.addresses6(of: name, server: network.gateway)
        guard let answer, answer.contains(ip6) else {
            let got = answer.map { $0.isEmpty ? "no AAAA" : $0.map(\.description).joined(separator: ", ") } ?? "no answer"
            throw .failed("checking that dnsmasq for '\(network.name)' serves the change: \(name) AAAA at \(network.gateway) answers \(got), not \(ip6), after reloading its host lists: run 'vmnet reload \(network.name)' or 'vmnet down \(network.name) && vmnet up \(network.name)'")
        }
    }
}
