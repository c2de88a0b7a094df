import JSON
import VmnetCore

/// A network's reservations (`hosts.json`) and the two host lists dnsmasq reads.
public struct ReservationStore: Sendable {
    public let paths: Paths
    public let host: HostAccess
    /// The containers' host lists, which dnsmasq reads beside these.
    public let containers: ContainerRegistry

    public init(paths: Paths, host: HostAccess, processes: ProcessLookup) {
        self.paths = paths
        self.host = host
        containers = ContainerRegistry(host: host, processes: processes)
    }

    private func file(_ name: NetworkName) -> String { paths.stateDirectory(of: name) + "/hosts.json" }

    public func load(_ name: NetworkName) throws(VmnetError) -> [HostReservation] {
        let file = file(name)
        return try StateFile.read(file, fix: StateFile.restore) { (text) throws(VmnetError) in try HostReservationsFile.decode(text: text, file: file) } ?? []
    }

    public func save(_ reservations: [HostReservation], for name: NetworkName) throws(VmnetError) {
        try FileSystem.writeAtomically(JSONCodec.serialize(HostReservationsFile.encode(reservations)), to: file(name), durable: true)
    }

    /// Writes dnsmasq's host lists; returns true when either changed.
    @discardableResult
    public func writeHostLists(for network: NetworkRecord, reservations: [HostReservation]) throws(VmnetError) -> Bool {
        let files = paths.dnsmasqFiles(of: network.name)
        try FileSystem.makeDirectories(paths.stateDirectory(of: network.name))
        var changed = false
        for (path, text) in [(files.dhcpHostsFile, HostsFiles.dhcpHosts(reservations)),
                             (files.addnHostsFile, HostsFiles.addnHosts(reservations, domain: network.domain))]
        where host.readIfPresent(path) != text {
            try FileSystem.writeAtomically(text, to: path)
            changed = true
        }
        try DnsmasqAccess.ensureReadable(
            [files.dhcpHostsFile, files.addnHostsFile],
            ownDirectories: [paths.stateDirectory, paths.networksDirectory, paths.stateDirectory(of: network.name)])
        // dnsmasq reads the containers' lists too: their hook fills them while containers run.
        if try containers.prune(network, files: files) { changed = true }
        return changed
    }
}
