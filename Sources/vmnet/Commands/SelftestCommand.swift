import ArgumentParser
import VmnetSandbox
import VmnetShell

struct SelftestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Prove vmnet works here, inside throwaway network namespaces.",
        discussion: """
            Builds a sandbox of namespaces (a host where vmnet runs with temporary state, an uplink \
            with a fake DNS server and no route out, and clients), creates a NAT and a host-only \
            network there and checks leases, names, NAT and isolation. It removes everything it \
            made and changes nothing outside its namespaces. Needs root, iproute2, dnsmasq, \
            nftables or iptables, and busybox.
            """)

    func run() throws {
        let selftest = Selftest(vmnetExecutable: ProcessEnvironment.executablePath()) { Output.text($0) }
        _ = try selftest.run()
    }
}
