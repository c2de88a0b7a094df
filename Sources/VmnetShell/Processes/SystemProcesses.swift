import Glibc

/// The host's processes, through /proc and kill(2).
public struct SystemProcesses: ProcessLookup {
    public init() {}

    public func pids() -> [pid_t] { FileSystem.list("/proc").compactMap { pid_t($0) } }

    public func arguments(of pid: pid_t) -> [String]? {
        FileSystem.readIfPresent("/proc/\(pid)/cmdline").map { $0.split(separator: "\0").map(String.init) }
    }

    public func isRunning(_ pid: pid_t) -> Bool { ProcessTable.isRunning(pid) }

    public func signal(_ pid: pid_t, _ signal: Int32) -> Bool { kill(pid, signal) == 0 }
}
