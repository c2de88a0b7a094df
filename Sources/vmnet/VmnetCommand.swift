import ArgumentParser

struct VmnetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmnet",
        abstract: "Isolated Linux bridges, one per project, for VMs and containers.",
        discussion: """
            Each network gets its own bridge, dnsmasq (DHCP and DNS under NAME.vmnet), lease \
            file, firewall rules and a private subnet chosen so it collides with nothing on the host. \
            Networks that span several hosts run on Open vSwitch + OVN: 'vmnet cluster join' on each \
            host, then 'vmnet create NAME --cluster'.

            Exit status: 0 success, 1 a host operation failed, 2 invalid input, 3 not found, \
            4 conflict, 5 no free subnet, 6 missing program or not root; 'vmnet plan' exits 10 when \
            'vmnet apply' would change something.
            """,
        version: "\(BuildInfo.version) (revision \(BuildInfo.revision))",
        subcommands: [
            NetworkCreate.self, NetworkUp.self, NetworkDown.self, NetworkDestroy.self, NetworkAutostart.self,
            NetworkList.self, NetworkShow.self, NetworkExport.self, NetworkInstall.self, NetworkUninstall.self,
            HostCommand.self, ForwardCommand.self, NetworkLeases.self, NetworkReload.self, NetworkSet.self, ContainerHookCommand.self, CNIPluginCommand.self,
            InitCommand.self, PlanCommand.self, ApplyCommand.self,
            DoctorCommand.self, WatchCommand.self, ProfilesCommand.self, SelftestCommand.self, ClusterCommand.self,
        ]
    )
}
