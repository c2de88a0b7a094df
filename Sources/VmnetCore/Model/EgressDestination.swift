/// One destination an `egress` list allows: `CIDR[:PORT[/PROTO]]`, an IPv6 one with a port
/// written `[CIDR]:PORT[/PROTO]`. Without a port, every protocol and port of the subnet.
public struct EgressDestination: Hashable, Sendable, CustomStringConvertible {
    public enum Destination: Hashable, Sendable {
        case v4(IPv4Subnet)
        case v6(IPv6Subnet)
    }

    public let destination: Destination
    public let port: PolicyPort?

    public static let syntax = "CIDR[:PORT[-PORT][/tcp|/udp]] ([CIDR]:PORT… for IPv6)"

    public init(_ text: some StringProtocol) throws(VmnetError) {
        let text = String(text)
        let bad = { (why: String) in VmnetError.invalid("'\(PolicyList.shown(text))' is not a destination: \(why): expected \(EgressDestination.syntax)") }
        var address = Substring(text)
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad("the '[' is not closed") }
            address = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw bad("expected ':' and a port after ']'") }
                portText = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1 {
            let colon = text.firstIndex(of: ":")!
            address = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if let subnet = IPv4Subnet(address) {
            destination = .v4(subnet)
        } else if let subnet = IPv6Subnet(address) {
            destination = .v6(subnet)
        } else {
            var why = "'\(PolicyList.shown(String(address)))' is not a subnet (ADDRESS/LENGTH, its network address)"
            if case .failure(.hostBitsSet(let suggestion)) = IPv4Subnet.parse(address) { why = "host bits set: write \(suggestion)" }
            if case .failure(.hostBitsSet(let suggestion)) = IPv6Subnet.parse(address) { why = "host bits set: write \(suggestion)" }
            throw bad(why)
        }
        do throws(VmnetError) {
            port = try portText.map { (text) throws(VmnetError) in try PolicyPort(text) }
        } catch {
            throw bad(error.message)
        }
    }

    /// True when some address and port are in both (the kernel refuses such set elements).
    public func overlaps(_ other: EgressDestination) -> Bool {
        guard (port == nil) == (other.port == nil), port.map({ other.port.map($0.overlaps) ?? false }) ?? true else { return false }
        switch (destination, other.destination) {
        case (.v4(let mine), .v4(let theirs)): return mine.overlaps(theirs)
        case (.v6(let mine), .v6(let theirs)): return mine.overlaps(theirs)
        default: return false
        }
    }

    public var isIPv6: Bool {
        if case .v6 = destination { return true }
        return false
    }

    public var subnet: String {
        switch destination {
        case .v4(let subnet): return subnet.description
        case .v6(let subnet): return subnet.description
        }
    }

    public var description: String {
        guard let port else { return subnet }
        return (isIPv6 ? "[\(subnet)]" : subnet) + ":\(port)"
    }
}
