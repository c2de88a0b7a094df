import VmnetCore

/// What `NetworkController` changes and reads the host through, given by its caller:
/// `.system` for the CLI and the selftest, recording fakes in VmnetShellTests.
public struct NetworkCollaborators: Sendable {
    public var runner: CommandRunner
    public var links: LinkManager
    public var firewalls: [FirewallKind: FirewallBackend]
    public var processes: ProcessLookup
    public var host: HostReader
    public var forwarding: IPForwarding

    public init(
        runner: CommandRunner, links: LinkManager, firewalls: [FirewallKind: FirewallBackend], processes: ProcessLookup,
        host: HostReader, forwarding: IPForwarding
    ) {
        self.runner = runner
        self.links = links
        self.firewalls = firewalls
        self.processes = processes
        self.host = host
        self.forwarding = forwarding
    }

    /// The real host: netlink, nft/iptables, /proc, the ip_forward sysctl.
    public static func system(runner: CommandRunner = SpawnRunner()) -> NetworkCollaborators {
        NetworkCollaborators(
            runner: runner, links: NetlinkLinkManager(),
            firewalls: [.nftables: NftablesFirewall(runner: runner), .iptables: IptablesFirewall(runner: runner)],
            processes: SystemProcesses(), host: SystemHost(), forwarding: IPForwarding())
    }
}
