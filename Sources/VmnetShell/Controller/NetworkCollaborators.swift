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
    public var ipv6Forwarding: IPv6Forwarding

    public init(
        runner: CommandRunner, links: LinkManager, firewalls: [FirewallKind: FirewallBackend], processes: ProcessLookup,
        host: HostReader, forwarding: IPForwarding, ipv6Forwarding: IPv6Forwarding
    ) {
        self.runner = runner
        self.links = links
        self.firewalls = firewalls
        self.processes = processes
        self.host = host
        self.forwarding = forwarding
        self.ipv6Forwarding = ipv6Forwarding
    }

    /// The real host: netlink, nft/iptables, /proc, the forwarding sysctls.
    public static func system(runner: CommandRunner = SpawnRunner()) -> NetworkCollaborators {
        let host = SystemHost()
        return NetworkCollaborators(
            runner: runner, links: NetlinkLinkManager(),
            firewalls: [.nftables: NftablesFirewall(runner: runner, host: host), .iptables: IptablesFirewall(runner: runner, host: host)],
            processes: SystemProcesses(), host: host, forwarding: IPForwarding(), ipv6Forwarding: IPv6Forwarding())
    }
}
