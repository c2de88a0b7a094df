import JSON

/// A port forward as the user asked for it: host ports (on one host address, or on every
/// one when `address` is nil) to a target named by reservation, container or address.
/// The target is resolved to an address only when rules are rendered, so a reservation
/// that moves takes its forwards along.
public struct PortForward: Hashable, Sendable {
    public enum Proto: String, CaseIterable, Sendable { case tcp, udp }

    public let address: IPv4Address?
    public let port: Int
    public let endPort: Int
    public let proto: Proto
    /// A reserved host name, a container name, or an address inside the network.
    public let target: String
    /// The target's first port; nil means the same ports as on the host.
    public let targetPort: Int?

    public init(address: IPv4Address?, port: Int, endPort: Int, proto: Proto, target: String, targetPort: Int?) throws(VmnetError) {
        for value in [port, endPort] + (targetPort.map { [$0] } ?? []) where !(1...65535).contains(value) {
            throw .invalid("forwarding port \(value): a port is a number from 1 to 65535")
        }
        guard endPort >= port else { throw .invalid("forwarding ports \(port)-\(endPort): the range ends before it starts") }
        if endPort > port, let targetPort, targetPort != port {
            throw .invalid("forwarding ports \(port)-\(endPort) to port \(targetPort): a range forwards to the same ports; leave out the target's port")
        }
        if let address, address.value == 0 || address.value >> 24 == 127 {
            throw .invalid("forwarding on \(address): give one of the host's addresses, or none for all of them")
        }
        guard !target.isEmpty else { throw .invalid("forwarding to '': name a reserved host, a container or an address of the network") }
        self.address = address
        self.port = port
        self.endPort = endPort
        self.proto = proto
        self.target = target
        self.targetPort = endPort > port ? nil : targetPort
    }

    /// Parses `[ADDRESS:]PORT[-PORT][/tcp|/udp]` and `TARGET[:PORT]`.
    public static func parse(ports spec: String, target targetSpec: String) throws(VmnetError) -> PortForward {
        let (address, port, endPort, proto) = try parse(ports: spec)
        let targetParts = targetSpec.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(targetParts.count), !targetParts[0].isEmpty else {
            throw .invalid("reading target '\(targetSpec)': expected NAME[:PORT] or ADDRESS[:PORT]")
        }
        var targetPort: Int?
        if targetParts.count == 2 {
            guard let number = number(targetParts[1]) else {
                throw .invalid("reading target '\(targetSpec)': '\(targetParts[1])' is not a port number")
            }
            targetPort = number
        }
        return try PortForward(address: address, port: port, endPort: endPort, proto: proto, target: String(targetParts[0]), targetPort: targetPort)
    }

    /// Parses `[ADDRESS:]PORT[-PORT][/PROTO]` (protocol tcp when left out).
    public static func parse(ports spec: String) throws(VmnetError) -> (address: IPv4Address?, port: Int, endPort: Int, proto: Proto) {
        let bad = { (why: String) in VmnetError.invalid("reading '\(spec)': \(why): expected [ADDRESS:]PORT[-PORT][/tcp|/udp]") }
        var rest = Substring(spec)
        var proto = Proto.tcp
        if let slash = rest.lastIndex(of: "/") {
            guard let named = Proto(rawValue: String(rest[rest.index(after: slash)...])) else { throw bad("the protocol is tcp or udp") }
            proto = named
            rest = rest[..<slash]
        }
        var address: IPv4Address?
        if let colon = rest.lastIndex(of: ":") {
            guard let parsed = IPv4Address(rest[..<colon]) else { throw bad("'\(rest[..<colon])' is not an IPv4 address") }
            address = parsed
            rest = rest[rest.index(after: colon)...]
        }
        let range = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(range.count), let port = number(range[0]) else { throw bad("'\(rest)' is not a port or a range") }
        var endPort = port
        if range.count == 2 {
            guard let end = number(range[1]) else { throw bad("'\(rest)' is not a port or a range") }
            endPort = end
        }
        for value in [port, endPort] where !(1...65535).contains(value) { throw bad("\(value) is not a port from 1 to 65535") }
        guard endPort >= port else { throw bad("the range ends before it starts") }
        return (address, port, endPort, proto)
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// How the host side reads back: `[ADDRESS:]PORT[-PORT]/PROTO`.
    public var hostSide: String {
        (address.map { "\($0):" } ?? "") + (endPort > port ? "\(port)-\(endPort)" : "\(port)") + "/\(proto.rawValue)"
    }

    /// True when both take some port of one protocol on some address in common.
    public func overlaps(_ other: PortForward) -> Bool {
        proto == other.proto && port <= other.endPort && other.port <= endPort
            && (address == nil || other.address == nil || address == other.address)
    }

    /// The forward as stored in forwards.json.
    public var json: JSONValue {
        .object([
            "address": JSONValue(address?.description),
            "port": JSONValue(port),
            "end_port": JSONValue(endPort),
            "protocol": .string(proto.rawValue),
            "target": .string(target),
            "target_port": JSONValue(targetPort),
        ])
    }
}
