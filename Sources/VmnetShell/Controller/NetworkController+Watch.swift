import VmnetCore

/// What doctor says about `vmnet watch`.
extension NetworkController {
    /// Whether the watcher runs, and whether this host has a firewall manager that drops
    /// vmnet's rules (one `nft list tables`) or legacy iptables tables that send no events.
    func watchFinding() -> DoctorFinding {
        let tables = (try? runner.run(["nft", "list", "tables"])).flatMap { $0.succeeded ? $0.standardOutput : nil } ?? ""
        let flushers = tables.split(separator: "\n").contains { ["table inet firewalld", "table ip filter", "table ip6 filter"].contains($0) }
        let legacy = (host.readIfPresent("/proc/net/ip_tables_names") ?? "").split(separator: "\n").contains("filter")
        return WatchDiagnosis.finding(pid: FirewallWatcher.runningPid(paths), flushers: flushers || legacy, legacyIptables: legacy)
    }
}
