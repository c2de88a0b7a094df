/// Decides whether a forward may be added or removed, and resolves forwards to addresses.
/// Pure: the network's reservations, container names and the host's listening sockets come in.
public enum ForwardPlanner {
    public static func sorted(_ forwards: [PortForward]) -> [PortForward] {
        forwards.sorted { ($0.port, $0.proto.rawValue, $0.address?.value ?? 0) < ($1.port, $1.proto.rawValue, $1.address?.value ?? 0) }
    }

    /// The forwards with `forward` added; unchanged when it is there already. `elsewhere`: the
    /// other networks' forwards (a host port goes to one network only).
    public static func add(
        _ forward: PortForward, network: NetworkRecord, existing: [PortForward], reservations: [HostReservation],
        containers: [String: IPv4Address] = [:], listeners: [SocketEntry], elsewhere: [NetworkName: [PortForward]] = [:]
    ) throws(VmnetError) -> [PortForward] {
        let doing = "forwarding \(forward.hostSide) to \(forward.target) on '\(network.name)'"
        guard network.mode == .nat else {
            throw .conflict("\(doing): the network is host-only, it has no way in or out: forward on a NAT network")
        }
        if existing.contains(forward) { return existing }
        if let other = existing.first(where: { $0.overlaps(forward) }) {
            throw .conflict("\(doing): \(other.hostSide) is forwarded already (to \(other.target)): 'vmnet forward rm \(network.name) \(other.hostSide)' first")
        }
        for (other, forwards) in elsewhere.sorted(by: { $0.key < $1.key }) {
            if let taken = forwards.first(where: { $0.overlaps(forward) }) {
                throw .conflict("\(doing): \(taken.hostSide) is forwarded already on network '\(other)' (to \(taken.target)): 'vmnet forward rm \(other) \(taken.hostSide)' first")
            }
        }
        _ = try targetAddress(forward.target, network: network, reservations: reservations, containers: containers, doing: doing)
        if let socket = listeners.first(where: { blocks($0, forward) }) {
            throw .conflict("\(doing): a local process listens on \(socket.address):\(socket.port)/\(socket.proto.rawValue): stop it or forward another port")
        }
        return sorted(existing + [forward])
    }

    /// The forwards without those `spec` (`[ADDRESS:]PORT[/PROTO]`) names: the one on that
    /// address starting at that port, of that protocol (of either when it is left out).
    public static func remove(_ spec: String, network: NetworkRecord, existing: [PortForward]) throws(VmnetError) -> [PortForward] {
        let parsed = try PortForward.parse(ports: spec)
        let anyProto = !spec.contains("/")
        let kept = existing.filter { forward in
            !(forward.address == parsed.address && forward.port == parsed.port && (anyProto || forward.proto == parsed.proto))
        }
        guard kept.count < existing.count else {
            throw .notFound("removing the forward \(spec) of '\(network.name)': there is none: 'vmnet forward list \(network.name)' shows them")
        }
        return kept
    }

    /// The address `target` names in `network`: a reservation, a container, or an address of
    /// the network (neither its gateway nor its network or broadcast address).
    public static func targetAddress(
        _ target: String, network: NetworkRecord, reservations: [HostReservation], containers: [String: IPv4Address], doing: String
    ) throws(VmnetError) -> IPv4Address {
        if let reservation = reservations.first(where: { $0.name == target }) { return reservation.ip }
        // Container names (issue 11, item 2) resolve here once vmnet registers them.
        if let container = containers[target] { return container }
        return try guestAddress(target, subnet: network.subnet, gateway: network.gateway, doing: doing, unknown: .notFound(
            "\(doing): '\(target)' is no reserved host or container of the network: 'vmnet host add \(network.name) \(target)' reserves it, or give an address"))
    }

    /// `target` as an address a guest of `subnet` can hold (neither the network's, broadcast
    /// nor gateway address); `unknown` when it is no address at all.
    static func guestAddress(_ target: String, subnet: IPv4Subnet, gateway: IPv4Address, doing: String, unknown: VmnetError) throws(VmnetError) -> IPv4Address {
        guard let address = IPv4Address(target) else { throw unknown }
        guard subnet.contains(address), address != subnet.first, address != subnet.last, address != gateway else {
            throw .conflict("\(doing): \(address) is not a guest address of \(subnet): give an address inside the network")
        }
        return address
    }

    /// The forwards whose targets resolve (a removed reservation's forwards rest until it is back).
    public static func resolve(
        _ forwards: [PortForward], network: NetworkRecord, reservations: [HostReservation], containers: [String: IPv4Address] = [:]
    ) -> [ResolvedForward] {
        guard network.mode == .nat else { return [] }
        return forwards.compactMap { forward in
            guard let ip = try? targetAddress(forward.target, network: network, reservations: reservations, containers: containers, doing: "")
            else { return nil }
            return ResolvedForward(forward: forward, bridge: network.bridge, subnet: network.subnet, targetIP: ip)
        }
    }

    /// A socket that would lose its traffic to the forward: same protocol and port, on the
    /// forward's address or on every address (a loopback listener is not reached by forwards).
    static func blocks(_ socket: SocketEntry, _ forward: PortForward) -> Bool {
        guard socket.isListening, socket.proto.rawValue == forward.proto.rawValue,
              (forward.port...forward.endPort).contains(Int(socket.port)) else { return false }
        if socket.isWildcard { return true }
        if let address = forward.address { return socket.address == address }
        return socket.address.value >> 24 != 127
    }
}
