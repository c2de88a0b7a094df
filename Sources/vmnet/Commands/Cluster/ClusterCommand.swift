import ArgumentParser

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Join this host to an OVN cluster, whose networks span machines.",
        discussion: """
            Join sets the local Open vSwitch's external_ids that ovn-controller reads (chassis name, \
            southbound database, geneve tunnel address); leave puts them back as they were.
            """,
        subcommands: [ClusterJoin.self, ClusterStatus.self, ClusterLeave.self])
}
