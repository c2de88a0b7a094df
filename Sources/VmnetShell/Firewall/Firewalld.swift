import VmnetCore

/// firewalld, through `firewall-cmd`. Its `inet firewalld` table rejects what its zones do not
/// accept, and that reject is final whatever vmnet's table accepts, so vmnet puts each bridge
/// in a zone that accepts it (as libvirt does with its own zone), at runtime and permanently:
/// firewalld 1.3 dropped a runtime-only binding on `firewall-cmd --reload` (measured). vmnet's own rules still enforce isolation and
/// host-only after firewalld's accept: an accept in one table skips no other table.
public struct Firewalld: Sendable {
    public static let zone = "trusted"
    public let runner: CommandRunner
    /// Where it finds `firewall-cmd`.
    public let host: HostAccess

    public init(runner: CommandRunner, host: HostAccess) {
        self.runner = runner
        self.host = host
    }

    /// Asks firewalld itself (a table left behind would mislead); each call costs a Python start.
    public var isRunning: Bool {
        guard host.executable("firewall-cmd") != nil, let result = try? runner.run(["firewall-cmd", "--state"]) else { return false }
        return result.succeeded && result.standardOutput.hasPrefix("running")
    }

    /// The interfaces of vmnet's zone, at runtime and in the permanent configuration.
    public func interfaces() throws(VmnetError) -> (runtime: Set<String>, permanent: Set<String>) {
        let runtime = try runner.check(["firewall-cmd", "--zone=\(Firewalld.zone)", "--list-interfaces"], doing: "reading firewalld's zone")
        let permanent = try runner.check(["firewall-cmd", "--permanent", "--zone=\(Firewalld.zone)", "--list-interfaces"], doing: "reading firewalld's zone")
        return (words(runtime.standardOutput), words(permanent.standardOutput))
    }

    /// Puts `add` in the zone and takes `remove` out of it, where they are not so already;
    /// returns a warning line for each change firewalld refused (e.g. a bridge the user put in another zone).
    public func update(add: [String], remove: [String]) throws(VmnetError) -> [String] {
        let (runtime, permanent) = try interfaces()
        var commands: [[String]] = []
        for bridge in add {
            if !runtime.contains(bridge) { commands.append(["--zone=\(Firewalld.zone)", "--add-interface=\(bridge)"]) }
            if !permanent.contains(bridge) { commands.append(["--permanent", "--zone=\(Firewalld.zone)", "--add-interface=\(bridge)"]) }
        }
        for bridge in remove {
            if runtime.contains(bridge) { commands.append(["--zone=\(Firewalld.zone)", "--remove-interface=\(bridge)"]) }
            if permanent.contains(bridge) { commands.append(["--permanent", "--zone=\(Firewalld.zone)", "--remove-interface=\(bridge)"]) }
        }
        var warnings: [String] = []
        for command in commands {
            let result = try runner.run(["firewall-cmd"] + command)
            if !result.succeeded {
                warnings.append("firewalld refused 'firewall-cmd \(command.joined(separator: " "))': \(result.failureSummary)")
            }
        }
        return warnings
    }

    private func words(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: \.isWhitespace).map(String.init))
    }
}
