import VmnetCore

/// What doctor says about `vmnet watch`.
extension NetworkController {
    /// Whether the watcher runs, and whether this host has a firewall manager that drops
    /// vmnet's rules (one `nft list chains`) or legacy iptables tables that send no events.
    func watchFinding() -> DoctorFinding {
        let chains = (try? runner.run(["nft", "list", "chains"])).flatMap { $0.succeeded ? $0.standardOutput : nil } ?? ""
        let legacy = (host.readIfPresent("/proc/net/ip_tables_names") ?? "").split(separator: "\n").contains("filter")
        return WatchDiagnosis.finding(pid: FirewallWatcher.runningPid(paths), flushers: WatchDiagnosis.hasFirewallManager(chainListing: chains),
                                      legacyIptables: legacy)
    }
}
