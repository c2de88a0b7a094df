import JSON
import VmnetCore

/// Reads the host into a `HostSnapshot`: two `ip` calls and a few files, once per command.
public struct HostProbe: Sendable {
    public let runner: CommandRunner
    public let podmanDirectory: String
    public let libvirtNetworksDirectory: String

    public init(runner: CommandRunner, environment: [String: String]) {
        self.runner = runner
        podmanDirectory = environment["VMNET_PODMAN_DIR"] ?? "/etc/containers/networks"
        libvirtNetworksDirectory = environment["VMNET_LIBVIRT_NETWORKS_DIR"] ?? "/etc/libvirt/qemu/networks"
    }

    public func snapshot() throws(VmnetError) -> HostSnapshot {
        let routesOutput = try runner.check(["ip", "-j", "-4", "route", "show", "table", "all"], doing: "reading routes")
        let addressOutput = try runner.check(["ip", "-j", "address", "show"], doing: "reading addresses")
        var snapshot = HostSnapshot()
        do {
            snapshot.routes = try IproutePrinter.routes(fromJSON: routesOutput.standardOutput)
            (snapshot.interfaces, snapshot.addresses) = try IproutePrinter.addresses(fromJSON: addressOutput.standardOutput)
        } catch {
            throw .failed("reading the host's routes and addresses: \(error)")
        }
        snapshot.foreignNetworks = foreignNetworks()
        snapshot.nameservers = ResolvConf.nameservers(in: FileSystem.readIfPresent("/etc/resolv.conf") ?? "")
        snapshot.resolvedStubListening = SocketTable.hasListener(
            in: FileSystem.readIfPresent("/proc/net/udp") ?? "", address: IPv4Address("127.0.0.53")!, port: 53)
        return snapshot
    }

    private func foreignNetworks() -> [ForeignNetwork] {
        var networks: [ForeignNetwork] = []
        for entry in FileSystem.list(podmanDirectory) where entry.hasSuffix(".json") {
            let file = podmanDirectory + "/" + entry
            guard let text = FileSystem.readIfPresent(file),
                let parsed = ForeignNetworkFiles.podmanSubnets(json: text, file: file), !parsed.vmnetOwned
            else { continue }
            networks += parsed.subnets.map { ForeignNetwork(owner: "podman", name: parsed.name, file: file, subnet: $0) }
        }
        for entry in FileSystem.list(libvirtNetworksDirectory) where entry.hasSuffix(".xml") {
            let file = libvirtNetworksDirectory + "/" + entry
            guard let text = FileSystem.readIfPresent(file) else { continue }
            let parsed = ForeignNetworkFiles.libvirtSubnets(xml: text)
            let name = parsed.name ?? String(entry.dropLast(4))
            networks += parsed.subnets.map { ForeignNetwork(owner: "libvirt", name: name, file: file, subnet: $0) }
        }
        return networks
    }
}
