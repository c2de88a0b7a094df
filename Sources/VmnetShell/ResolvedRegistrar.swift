import VmnetCore

/// Registers networks with systemd-resolved so the host resolves NAME.vmnet names, when
/// resolved runs; otherwise there is nothing to do here and `vmnet show` tells the user
/// the line to add to their resolver.
public struct ResolvedRegistrar: Sendable {
    public let runner: CommandRunner
    public let isRunning: Bool

    public init(runner: CommandRunner, environment: [String: String]) {
        self.runner = runner
        let socket = environment["VMNET_RESOLVED_SOCKET"] ?? "/run/systemd/resolve/io.systemd.Resolve"
        isRunning = FileSystem.exists(socket) && ExecutableLocator.find("resolvectl") != nil
    }

    public func register(_ network: NetworkRecord) throws(VmnetError) {
        guard isRunning else { return }
        for command in ResolvedPlanner.register(network) {
            try runner.check(command, doing: "registering \(network.domain) with systemd-resolved")
        }
    }

    public func unregister(_ network: NetworkRecord) {
        guard isRunning else { return }
        for command in ResolvedPlanner.unregister(network) { _ = try? runner.run(command) }
    }
}
