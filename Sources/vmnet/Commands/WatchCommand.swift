import ArgumentParser
import VmnetShell

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Stay in the foreground and put back vmnet's firewall rules when the host's firewall drops them.",
        discussion: """
            Listens for nftables changes (firewalld reloads, dockerd restarts, ufw reload, \
            iptables-restore, nft flush ruleset: all of them change nftables when iptables is \
            iptables-nft), waits until the changes settle (200 ms), checks the networks that are up \
            and re-applies only what is missing, logging 'repaired: NET: what' on stderr. Legacy \
            iptables sends no events. One instance runs at a time (its pid is in the run directory); \
            SIGTERM ends it. Shipped as vmnet-watch.service. Run it as root.
            """)

    func run() throws {
        let context = Context()
        try FirewallWatcher(controller: context.controller, paths: context.paths) { StandardError.write("vmnet: \($0)\n") }.run()
    }
}
