import Glibc
@testable import VmnetShell

/// The fake process table: a signal other than SIGHUP ends the process.
struct FakeProcesses: ProcessLookup {
    let log: EffectLog

    func pids() -> [pid_t] { Array(log.processes.keys) }
    func arguments(of pid: pid_t) -> [String]? { log.processes[pid] }
    func isRunning(_ pid: pid_t) -> Bool { log.processes[pid] != nil }

    func signal(_ pid: pid_t, _ signal: Int32) -> Bool {
        guard log.processes[pid] != nil else { return false }
        if signal != SIGHUP {
            try? log.perform("signal \(signal): \(log.processes[pid]?.first ?? "")")
            log.processes[pid] = nil
        }
        return true
    }
}
