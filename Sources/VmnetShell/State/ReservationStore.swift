import JSON
import VmnetCore

/// A network's reservations (`hosts.json`) and the two host lists dnsmasq reads.
public struct ReservationStore: Sendable {
    public let paths: Paths

    public init(paths: Paths) { self.paths = paths }

    private func file(_ name: NetworkName) -> String { paths.stateDirectory(of: name) + "/hosts.json" }

    public func load(_ name: NetworkName) throws(VmnetError) -> [HostReservation] {
        guard let text = try FileSystem.readUnlessMissing(file(name)) else { return [] }
        do { return try HostReservationsFile.decode(text: text, file: file(name)) } catch {
            throw .failed("\(error.message): restore the file; vmnet does not change it while it cannot be read")
        }
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
        where FileSystem.readIfPresent(path) != text {
            try FileSystem.writeAtomically(text, to: path)
            changed = true
        }
        try DnsmasqAccess.ensureReadable(
            [files.dhcpHostsFile, files.addnHostsFile],
            ownDirectories: [paths.stateDirectory, paths.networksDirectory, paths.stateDirectory(of: network.name)])
        // dnsmasq reads the containers' lists too: their hook fills them while containers run.
        if try ContainerHook(paths: paths).prune(network) { changed = true }
        return changed
    }
}
