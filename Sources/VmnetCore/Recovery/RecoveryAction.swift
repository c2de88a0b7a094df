/// One step of finishing or undoing a killed command, performed by the shell in the order
/// `RecoveryPlanner` returns them.
public enum RecoveryAction: Hashable, Sendable, CustomStringConvertible {
    /// Finish a killed destroy, or undo a killed create: everything of the network goes.
    case destroy(NetworkName)
    /// Bring the network to its recorded state: up (enabled) or down.
    case bringUp(NetworkName)
    case bringDown(NetworkName)
    /// Stop the dnsmasq the network's pid file names (checked against /proc).
    case stopDnsmasq(String)
    /// Stop a dnsmasq found in /proc serving a network that is not up (checked again before the signal).
    case killDnsmasq(pid: Int32, network: String)
    /// The run directory of a network without a record.
    case removeRunDirectory(String)
    /// Delete links no record owns (a bridge and its keeper pair).
    case deleteLinks([String])
    /// Rewrite a firewall mechanism's tables from the enabled records.
    case rebuildFirewall(FirewallKind)
    /// Rewrite the network's host lists from hosts.json and have its dnsmasq re-read them.
    case republishHosts(NetworkName)
    case removeFile(String)
    case removeStateDirectory(String)

    public var description: String {
        switch self {
        case .destroy(let name): return "destroy \(name)"
        case .bringUp(let name): return "up \(name)"
        case .bringDown(let name): return "down \(name)"
        case .stopDnsmasq(let name): return "stop the dnsmasq of \(name)"
        case .deleteLinks(let links): return "delete links \(links.joined(separator: " "))"
        case .rebuildFirewall(let kind): return "rebuild the \(kind.rawValue) rules"
        case .republishHosts(let name): return "rewrite the host lists of \(name)"
        case .killDnsmasq(let pid, let name): return "stop dnsmasq \(pid) of \(name)"
        case .removeRunDirectory(let name): return "remove the run directory of \(name)"
        case .removeFile(let path): return "remove \(path)"
        case .removeStateDirectory(let name): return "remove the empty directory of \(name)"
        }
    }
}
