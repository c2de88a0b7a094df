import VmnetCore

/// Registers networks with systemd-resolved so the host resolves NAME.vmnet names, when
/// resolved runs; otherwise there is nothing to do here and `vmnet show` tells the user
/// the line to add to their resolver. The network works without the registration, so a
/// failed one is a warning, never a failed `up` or `create`.
public struct ResolvedRegistrar: Sendable {
    public static let defaultSocket = "/run/systemd/resolve/io.systemd.Resolve"

    public let runner: CommandRunner
    /// resolved's varlink socket ($VMNET_RESOLVED_SOCKET overrides it).
    public let socket: String
    public let warnings: Warnings

    public init(runner: CommandRunner, environment: [String: String], warnings: Warnings = Warnings()) {
        self.runner = runner
        socket = environment["VMNET_RESOLVED_SOCKET"] ?? ResolvedRegistrar.defaultSocket
        self.warnings = warnings
    }

    /// Asked, not assumed: a stopped resolved leaves its socket file behind, and only a
    /// connect() tells a listening daemon from that file.
    public var state: UnixSocket.State { UnixSocket.state(socket) }
    public var isRunning: Bool { state == .listening }

    /// Registers the network's link unless it already carries the registration, so a resolved
    /// that started after the network gets it at the network's next `up`. A host without
    /// resolved gets nothing; one whose resolved stopped (its socket refuses) gets a warning.
    public func register(_ network: NetworkRecord) {
        switch state {
        case .absent: return
        case .refusing:
            warnings.add("registering \(network.domain) with systemd-resolved: it is not running (\(socket) refuses connections): "
                         + "start it, then 'vmnet up \(network.name)'")
            return
        case .listening: break
        }
        do throws(VmnetError) {
            let settings = try resolvectl(ResolvedPlanner.query(network))
            if ResolvedPlanner.missing(network, dnsOutput: settings[0], domainOutput: settings[1]).isEmpty { return }
            _ = try resolvectl(ResolvedPlanner.register(network))
        } catch {
            warnings.add("registering \(network.domain) with systemd-resolved: \(error.message): the network works without it; 'vmnet up \(network.name)' tries again")
        }
    }

    public func unregister(_ network: NetworkRecord) {
        guard isRunning else { return }
        for command in ResolvedPlanner.unregister(network) { _ = try? runner.run(command) }
    }

    /// The doctor's checks: while resolved runs, each network that is up has its gateway as
    /// DNS server and its routing domain on its bridge, and resolved uses them (a DNS scope).
    public func findings(for networks: [NetworkRecord]) -> [DoctorFinding] {
        let up = networks.filter(\.enabled)
        switch state {
        case .absent:
            return up.map { network in
                .ok(network.name.value, ResolvedPlanner.check,
                    "systemd-resolved does not run: nothing to register ('vmnet show \(network.name)' names the line for another resolver)")
            }
        case .refusing:
            return up.map { network in
                DoctorFinding(
                    network: network.name.value, check: ResolvedPlanner.check, status: .warn,
                    detail: "systemd-resolved stopped (\(socket) refuses connections): the host does not resolve \(network.domain)",
                    fix: "start systemd-resolved, then vmnet up \(network.name)")
            }
        case .listening: break
        }
        return up.map { network in
            do throws(VmnetError) {
                let settings = try resolvectl(ResolvedPlanner.query(network) + [ResolvedPlanner.statusQuery(network)])
                return ResolvedPlanner.finding(network, dnsOutput: settings[0], domainOutput: settings[1], statusOutput: settings[2])
            } catch {
                return DoctorFinding(
                    network: network.name.value, check: ResolvedPlanner.check, status: .fail,
                    detail: "asking systemd-resolved about \(network.bridge): \(error.message)", fix: "vmnet up \(network.name)")
            }
        }
    }

    /// Runs resolvectl commands together and returns their outputs; the error says which
    /// one failed and why (no "doing what": the callers say that).
    private func resolvectl(_ commands: [[String]]) throws(VmnetError) -> [String] {
        let results = try runner.start(commands).results()
        for result in results where !result.succeeded {
            throw .failed("\(result.arguments.joined(separator: " ")): \(result.failureSummary)")
        }
        return results.map(\.standardOutput)
    }
}
