import Glibc
import VmnetCore

/// After `host add`/`rm`, asks the network's running dnsmasq for the name: a reload it did
/// not take (a list it cannot read, a dnsmasq that ignored SIGHUP) fails loudly instead of
/// leaving the reservation silently unserved.
public enum ReservationCheck {
    /// `ip`: the address the name must now resolve to, or nil for a removed host.
    public static func confirm(_ network: NetworkRecord, host: String, ip: IPv4Address?, files: DnsmasqFiles, dnsmasq: DnsmasqSupervisor) throws(VmnetError) {
        guard dnsmasq.runningPid(files) != nil else { return }
        let name = "\(host).\(network.domain)"
        // A removed host that holds a lease keeps its name from the lease: nothing to see.
        if ip == nil, DHCPLease.parse(FileSystem.readIfPresent(files.leaseFile) ?? "").contains(where: { $0.hostname == host }) { return }
        var answer: [IPv4Address]? = nil
        // SIGHUP is handled asynchronously; dnsmasq took ~1 ms here.
        for _ in 0..<100 {
            answer = DNSProbe.addresses(of: name, server: network.gateway)
            if let answer, let ip, answer.contains(ip) { return }
            if let answer, ip == nil, answer.isEmpty { return }
            usleep(20_000)
        }
        let got = answer.map { $0.isEmpty ? "NXDOMAIN" : $0.map(\.description).joined(separator: ", ") } ?? "no answer"
        let wanted = ip.map { "\($0)" } ?? "NXDOMAIN"
        throw .failed("checking that dnsmasq for '\(network.name)' serves the change: \(name) at \(network.gateway) answers \(got), not \(wanted), after reloading its host lists: run 'vmnet reload \(network.name)' or 'vmnet down \(network.name) && vmnet up \(network.name)'")
    }
}
