import Glibc

/// Looks processes up in /proc.
public enum ProcessTable {
    /// True while `pid` exists and has not exited. An exited daemon whose parent is PID 1
    /// stays a zombie until PID 1 reaps it, which some init processes do only now and then;
    /// `kill(pid, 0)` would call it alive.
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = FileSystem.readIfPresent("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state != nil && state != "Z" && state != "X"
    }

    /// When a process started, in clock ticks after boot, from its /proc/PID/stat text (field
    /// 22; the command, field 2, may hold spaces and parentheses): with the pid it names one
    /// process, even after the pid is reused or the host rebooted.
    public static func startTime(stat: String) -> Int64? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? Int64(fields[19]) : nil
    }
}
