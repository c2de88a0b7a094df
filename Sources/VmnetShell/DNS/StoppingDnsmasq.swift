import Glibc

/// dnsmasq instances sent SIGTERM and not yet waited for (`DnsmasqSupervisor.beginStop`).
public struct StoppingDnsmasq: Sendable {
    let pids: [pid_t]
    let pidFiles: [String]
}
