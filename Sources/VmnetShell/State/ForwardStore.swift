import JSON
import VmnetCore

/// A network's port forwards (`forwards.json` in its state directory), and the forwards of
/// running networks resolved to addresses for the firewall.
public struct ForwardStore: Sendable {
    public let paths: Paths
    public let hosts: ReservationStore

    public init(paths: Paths, hosts: ReservationStore) {
        self.paths = paths
        self.hosts = hosts
    }

    private func file(_ name: NetworkName) -> String { paths.stateDirectory(of: name) + "/forwards.json" }

    public func load(_ name: NetworkName) throws(VmnetError) -> [PortForward] {
        guard let text = try FileSystem.readUnlessMissing(file(name)) else { return [] }
        do { return try ForwardsFile.decode(text: text, file: file(name)) } catch {
            throw .failed("\(error.message): restore the file; vmnet does not change it while it cannot be read")
        }
    }

    public func save(_ forwards: [PortForward], for name: NetworkName) throws(VmnetError) {
        try FileSystem.writeAtomically(JSONCodec.serialize(ForwardsFile.encode(forwards)), to: file(name), durable: true)
    }

    /// The forwards of `networks` with their targets' addresses now. `reservations` and
    /// `forwards` override the files for one network (what they held before a change).
    /// `skippingDamaged`: told of a network whose files cannot be read, which is left out;
    /// without it, that is an error.
    public func resolved(_ networks: [NetworkRecord], reservations: (NetworkName, [HostReservation])? = nil,
                         forwards override: (NetworkName, [PortForward])? = nil,
                         skippingDamaged: ((VmnetError) -> Void)? = nil) throws(VmnetError) -> [ResolvedForward] {
        var resolved: [ResolvedForward] = []
        for network in networks where network.mode == .nat {
            let forwards: [PortForward]
            let hosts: [HostReservation]
            do {
                forwards = override?.0 == network.name ? override?.1 ?? [] : try load(network.name)
                guard !forwards.isEmpty else { continue }
                hosts = reservations?.0 == network.name ? reservations?.1 ?? [] : try self.hosts.load(network.name)
            } catch {
                guard let skippingDamaged else { throw error }
                skippingDamaged(error)
                continue
            }
            resolved += ForwardPlanner.resolve(forwards, network: network, reservations: hosts, containers: containerNames(of: network))
        }
        return resolved
    }

    /// Names of the network's running containers (as vmnet's OCI hook registered and
    /// dnsmasq publishes them) and their addresses, as forward targets. A forward to a
    /// container follows it when the rules are next written (`up`, a forward change).
    public func containerNames(of network: NetworkRecord) -> [String: IPv4Address] {
        let registered = (try? ContainerAddresses(environment: [:]).registrations(in: paths.dnsmasqFiles(of: network.name))) ?? []
        var names: [String: IPv4Address] = [:]
        for registration in registered {
            if let name = registration.publishedName { names[name] = registration.ip }
        }
        return names
    }

    /// The host's listening sockets on these ports (from /proc/net/tcp, udp, tcp6 and udp6).
    public static func listeners(ports: ClosedRange<Int>) -> [SocketEntry] {
        let wanted = Set(ports.map { UInt16($0) })
        func read(_ name: String) -> String { FileSystem.readIfPresent("/proc/net/" + name) ?? "" }
        return SocketEntry.parse(read("tcp"), proto: .tcp, ports: wanted) + SocketEntry.parse(read("udp"), proto: .udp, ports: wanted)
            + SocketEntry.parseIPv6Table(read("tcp6"), proto: .tcp, ports: wanted) + SocketEntry.parseIPv6Table(read("udp6"), proto: .udp, ports: wanted)
    }
}
