@testable import VmnetShell
import VmnetCore

/// Records every argument array. `dnsmasq` "starts": it writes its pid file and appears in
/// the fake process table; `ip route` prints one route; everything else fails, as a missing
/// tool would (firewalld, iptables-save: the host has no other firewall); `resolvectl`
/// succeeds and prints nothing (a resolver that knows no network yet). A program given a
/// reply (`replies`) succeeds and prints it.
struct FakeRunner: CommandRunner {
    let log: EffectLog
    let commands = CommandList()
    let replies = Replies()

    final class CommandList: @unchecked Sendable { var all: [[String]] = [] }
    /// Standard output by program name (`nsenter` printing a container's `ip -j address`).
    final class Replies: @unchecked Sendable { var output: [String: String] = [:] }

    func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult {
        commands.all.append(arguments)
        switch arguments.first {
        case "ip" where arguments.contains("rule"):
            return ProcessResult(arguments: arguments, status: 0, standardOutput: #"[{"priority":0,"src":"all","table":"local"},{"priority":32766,"src":"all","table":"main"}]"#, standardError: "")
        case "ip":
            return ProcessResult(arguments: arguments, status: 0, standardOutput: #"[{"dst":"192.0.2.0/24","dev":"lo"}]"#, standardError: "")
        case "dnsmasq":
            try log.perform("start: dnsmasq")
            let config = String(arguments[1].dropFirst("--conf-file=".count))
            let pid = log.nextPid
            log.nextPid += 1
            log.processes[pid] = ["dnsmasq", arguments[1]]
            try FileSystem.writeAtomically("\(pid)\n", to: FileSystem.parent(of: config) + "/dnsmasq.pid")
            return ProcessResult(arguments: arguments, status: 0, standardOutput: "", standardError: "")
        case "resolvectl":
            try log.perform("resolver: " + arguments.joined(separator: " "))
            return ProcessResult(arguments: arguments, status: 0, standardOutput: "", standardError: "")
        case let program? where replies.output[program] != nil:
            return ProcessResult(arguments: arguments, status: 0, standardOutput: replies.output[program] ?? "", standardError: "")
        default:
            return ProcessResult(arguments: arguments, status: 1, standardOutput: "", standardError: "not on this fake host")
        }
    }
}
