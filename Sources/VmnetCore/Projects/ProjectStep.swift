/// One change `vmnet apply` makes, in the order it makes them; `plan` prints each as a line.
public enum ProjectStep: Sendable {
    /// A new network, down, with the file's settings on its record; `up` follows its hosts and forwards.
    case create(CreateRequest, settings: [NetworkSetting])
    case change(NetworkChange)
    case removeForward(NetworkName, PortForward)
    case removeHost(NetworkName, HostReservation)
    case addHost(NetworkName, ProjectHost)
    case addForward(NetworkName, PortForward)
    case up(NetworkName)
    case uninstall(NetworkName, [RuntimeKind])
    case install(NetworkName, [RuntimeKind])
    /// A network an earlier apply of the same file made, no longer in it.
    case destroy(NetworkName)

    public var network: NetworkName {
        switch self {
        case .create(let request, _): return request.name
        case .change(let change): return change.after.name
        case .removeForward(let name, _), .removeHost(let name, _), .addHost(let name, _), .addForward(let name, _),
            .up(let name), .uninstall(let name, _), .install(let name, _), .destroy(let name):
            return name
        }
    }

    /// What the step does, as a verb for the plan's first column.
    public var action: String {
        switch self {
        case .create: return "create"
        case .change: return "change"
        case .removeForward, .removeHost: return "remove"
        case .addHost, .addForward: return "add"
        case .up: return "up"
        case .uninstall: return "uninstall"
        case .install: return "install"
        case .destroy: return "destroy"
        }
    }

    /// The rest of the plan's line.
    public var detail: String {
        switch self {
        case .create(let request, let settings):
            let keys = settings.map(\.key).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return "profile \(request.profile ?? ProjectPlanner.defaultProfile)" + (request.subnet.map { ", subnet \($0)" } ?? "")
                + (request.subnet6.map { ", subnet6 \($0)" } ?? "") + (request.noIPv6 ? ", IPv4 only" : "")
                + (keys.isEmpty ? "" : ", setting \(keys.joined(separator: ", "))")
        case .change(let change):
            let applied = change.applications.map(\.description)
            return change.changes.map(\.description).joined(separator: "; ") + (applied.isEmpty ? " (recorded)" : " (\(applied.joined(separator: ", ")))")
        case .removeForward(_, let forward), .addForward(_, let forward):
            return "forward \(forward.hostSide) -> \(forward.target)" + (forward.targetPort.map { ":\($0)" } ?? "")
        case .removeHost(_, let host):
            return "host \(host.name) (\(host.mac), \(host.ip))"
        case .addHost(_, let host):
            let parts = [host.mac?.description, host.ip?.description, host.ip6?.description].compactMap { $0 }
            return "host \(host.name)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
        case .up: return "bring the network up"
        case .uninstall(_, let kinds), .install(_, let kinds): return kinds.map(\.rawValue).joined(separator: ", ")
        case .destroy: return "no longer in the file"
        }
    }
}
