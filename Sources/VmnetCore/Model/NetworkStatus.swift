/// A network's record together with what was observed on the host.
public struct NetworkStatus: Sendable {
    public enum State: String, Sendable {
        case up
        case down
        /// Something it owns is missing while up (dnsmasq died, the bridge vanished), or
        /// something is left over while down.
        case degraded
    }

    public let record: NetworkRecord
    public let bridgePresent: Bool
    public let dnsmasqPid: Int32?
    public let firewallPresent: Bool
    /// Doctor's verdicts: any failure makes the network degraded.
    public let findings: [DoctorFinding]
    /// The bridge's ports other than vmnet's keeper port: guests' taps, containers' veths.
    public var ports: [String]

    public init(record: NetworkRecord, bridgePresent: Bool, dnsmasqPid: Int32?, firewallPresent: Bool, findings: [DoctorFinding] = [], ports: [String] = []) {
        self.record = record
        self.bridgePresent = bridgePresent
        self.dnsmasqPid = dnsmasqPid
        self.firewallPresent = firewallPresent
        self.findings = findings
        self.ports = ports
    }

    public var state: State {
        let parts = [bridgePresent, dnsmasqPid != nil, firewallPresent]
        let failing = !otherFailures.isEmpty
        if record.enabled { return parts.allSatisfy { $0 } && !failing ? .up : .degraded }
        return parts.contains(true) || failing ? .degraded : .down
    }

    /// Failed checks beyond the three parts worded below.
    private var otherFailures: [DoctorFinding] {
        findings.filter { $0.status == .fail && !NetworkDiagnosis.statusChecks.contains($0.check) }
    }

    /// What is wrong, in words, when degraded.
    public var problems: [String] {
        let wanted = record.enabled
        var problems: [String] = []
        if bridgePresent != wanted { problems.append(wanted ? "bridge \(record.bridge) is missing" : "bridge \(record.bridge) still exists") }
        if (dnsmasqPid != nil) != wanted { problems.append(wanted ? "dnsmasq is not running" : "dnsmasq still runs") }
        if firewallPresent != wanted { problems.append(wanted ? "firewall rules are missing" : "firewall rules are left over") }
        return problems + otherFailures.map(\.detail)
    }
}
