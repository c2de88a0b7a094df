import ArgumentParser

struct HostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Reserve fixed addresses and names for hosts on a network.",
        discussion: "Changes reach a running dnsmasq by reload (SIGHUP): its pid and the existing leases stay.",
        subcommands: [HostAdd.self, HostRemove.self, HostList.self])
}
