/// A port or a range of ports of one protocol in a policy list: `22`, `8000-8100/tcp`,
/// `53/udp` (tcp when the protocol is left out). Printed with its protocol always.
public struct PolicyPort: Hashable, Sendable, CustomStringConvertible {
    public let first: Int
    public let last: Int
    public let proto: PortForward.Proto

    public static let syntax = "PORT[-PORT][/tcp|/udp]"

    public init(_ text: some StringProtocol) throws(VmnetError) {
        let bad = VmnetError.invalid("'\(PolicyList.shown(String(text)))' is not a port or a range: expected \(PolicyPort.syntax)")
        // PortForward's reader also takes an address in front, which a policy port has not.
        guard !text.contains(":") else { throw bad }
        guard let (_, port, endPort, proto) = try? PortForward.parse(ports: String(text)) else { throw bad }
        first = port
        last = endPort
        self.proto = proto
    }

    /// True when both take some port of one protocol in common.
    public func overlaps(_ other: PolicyPort) -> Bool { proto == other.proto && first <= other.last && other.first <= last }

    public var description: String { (last > first ? "\(first)-\(last)" : "\(first)") + "/\(proto.rawValue)" }
    /// As nft writes a port or an interval in a set element.
    public var nftPorts: String { last > first ? "\(first)-\(last)" : "\(first)" }
    /// As iptables' `--dport` takes it.
    public var iptablesPorts: String { last > first ? "\(first):\(last)" : "\(first)" }
}
