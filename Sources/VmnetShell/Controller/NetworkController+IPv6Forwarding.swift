import VmnetCore

/// IPv6 forwarding for NAT networks with IPv6, guarded by `AcceptRAGuard`.
extension NetworkController {
    /// Decides, reading the host but changing nothing, whether IPv6 forwarding may go on for
    /// `records`; throws the refusal when it would take the host's default route away.
    func acceptRAGuard(for records: [NetworkRecord], fix: Bool) throws(VmnetError) -> AcceptRAGuard {
        let needing = AcceptRAGuard.needing(records)
        // Most commands need no /proc read: no IPv6 NAT network, or forwarding on already.
        guard !needing.isEmpty, !ipv6Forwarding.isOn else { return .unchanged }
        return try AcceptRAGuard.decide(needing: needing, host: ipv6Forwarding.state(), fix: fix)
    }

    /// Carries the decision out and says what it changed. Never undone, like IPv4's.
    func enableIPv6Forwarding(_ decision: AcceptRAGuard) throws(VmnetError) {
        try ipv6Forwarding.apply(decision)
        if let notice = decision.notice { warnings.add(notice) }
    }

    /// Refuses, before any effect, networks that want IPv6 on a host that has it turned off.
    func requireIPv6(for records: [NetworkRecord], existing: Set<String>, creating: Bool) throws(VmnetError) {
        guard records.contains(where: \.hasIPv6) else { return }
        let conf = ipv6Forwarding.procRoot + "/sys/net/ipv6/conf/"
        func disabled(_ name: String) -> Bool { FileSystem.readIfPresent(conf + name + "/disable_ipv6")?.hasPrefix("1") ?? false }
        let availability = IPv6Availability(
            kernelHasIPv6: FileSystem.exists(ipv6Forwarding.procRoot + "/sys/net/ipv6"),
            disabledByDefault: disabled("default"),
            disabledBridges: Set(records.map(\.bridge).filter { existing.contains($0) && disabled($0) }))
        if let problem = availability.problem(for: records, existing: existing, creating: creating) { throw problem }
    }
}
