import Glibc

/// Looks processes up and signals them (dnsmasq supervision and recovery): injected so the
/// controller's tests need no real processes.
public protocol ProcessLookup: Sendable {
    /// The pids of every process.
    func pids() -> [pid_t]
    /// The arguments `pid` runs with, nil when it is gone.
    func arguments(of pid: pid_t) -> [String]?
    func isRunning(_ pid: pid_t) -> Bool
    func signal(_ pid: pid_t, _ signal: Int32) -> Bool
}
