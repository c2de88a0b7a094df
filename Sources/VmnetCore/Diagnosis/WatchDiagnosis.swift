/// Doctor's verdict on `vmnet watch`, the listener that puts vmnet's rules back after the
/// host's firewall dropped them.
public enum WatchDiagnosis {
    public static let check = "watch"
    public static let notRunning = "rules removed by a firewall reload come back only at the next 'vmnet up': enable vmnet-watch.service"

    /// `pid`: the running watcher's. `flushers`: the host has another firewall manager whose
    /// reload or restart drops vmnet's rules (firewalld, or iptables rules as Docker and ufw
    /// keep them); without one, a watcher that does not run costs nothing. `legacyIptables`:
    /// legacy iptables tables exist, whose changes send no event.
    public static func finding(pid: Int32?, flushers: Bool, legacyIptables: Bool) -> DoctorFinding {
        let legacy = "legacy iptables sends no events: after iptables-legacy-restore or a legacy ufw/Docker reload run 'vmnet up'"
        guard let pid else {
            guard flushers else { return .ok(nil, check, "vmnet watch does not run; no other firewall manager here drops vmnet's rules") }
            return DoctorFinding(network: nil, check: check, status: .warn, detail: "vmnet watch does not run: \(notRunning)",
                                 fix: "systemctl enable --now vmnet-watch.service")
        }
        guard legacyIptables else { return .ok(nil, check, "vmnet watch runs with pid \(pid)") }
        return DoctorFinding(network: nil, check: check, status: .warn, detail: "vmnet watch runs with pid \(pid), but \(legacy)")
    }

    /// Whether `nft list chains` shows a firewall manager that rebuilds its rules: firewalld's
    /// table, or chains of another tool (Docker's, ufw's) in iptables-nft's filter tables.
    /// vmnet's own iptables chains and the built-in ones do not count.
    public static func hasFirewallManager(chainListing: String) -> Bool {
        var table = ""
        for line in chainListing.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace)
            if words.first == "table", words.count >= 3 {
                table = "\(words[1]) \(words[2])"
                if table == "inet firewalld" { return true }
            } else if words.first == "chain", words.count >= 2, table == "ip filter" || table == "ip6 filter" {
                let name = words[1]
                if !["INPUT", "FORWARD", "OUTPUT"].contains(name) && !name.hasPrefix("VMNET-") { return true }
            }
        }
        return false
    }
}
