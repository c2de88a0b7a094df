/// An OVSDB database address as OVS tools take it: `tcp:IP:PORT`, `ssl:IP:PORT` (an IPv6
/// address in brackets) or `unix:PATH`. A comma-separated list names the members of a
/// clustered database; each must be well formed.
public struct OVSDBAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case tcp, ssl, unix }

    public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
        public var kind: Kind
        /// The IP (without brackets) for tcp/ssl, the socket path for unix.
        public var host: String
        public var port: Int?

        public var description: String {
            guard let port else { return "\(kind.rawValue):\(host)" }
            return "\(kind.rawValue):\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    public var endpoints: [Endpoint]

    public var description: String { endpoints.map(\.description).joined(separator: ",") }

    public init?(_ text: String) {
        var endpoints: [Endpoint] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let endpoint = OVSDBAddress.endpoint(String(part)) else { return nil }
            endpoints.append(endpoint)
        }
        guard !endpoints.isEmpty else { return nil }
        self.endpoints = endpoints
    }

    /// The same hosts on another port (the southbound database beside a northbound one: OVN
    /// listens on 6641 and 6642 by convention); unix sockets are kept as they are.
    public func withPort(_ port: Int) -> OVSDBAddress {
        var copy = self
        copy.endpoints = endpoints.map { endpoint in
            var changed = endpoint
            if endpoint.kind != .unix { changed.port = port }
            return changed
        }
        return copy
    }

    public static let formHint = "use tcp:IP:PORT, ssl:IP:PORT or unix:PATH (e.g. tcp:192.0.2.10:6641)"

    private static func endpoint(_ text: String) -> Endpoint? {
        guard let colon = text.firstIndex(of: ":"), let kind = Kind(rawValue: String(text[..<colon])) else { return nil }
        let rest = String(text[text.index(after: colon)...])
        if kind == .unix { return rest.hasPrefix("/") ? Endpoint(kind: kind, host: rest, port: nil) : nil }
        let host: String
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            guard IPv6Address(host) != nil else { return nil }
            portText = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let last = rest.lastIndex(of: ":") else { return nil }
            host = String(rest[..<last])
            guard IPv4Address(host) != nil else { return nil }
            portText = rest[rest.index(after: last)...]
        }
        guard let port = Int(portText), (1...65535).contains(port) else { return nil }
        return Endpoint(kind: kind, host: host, port: port)
    }
}
