/// A classless static route handed to DHCP clients (options 121 and 249), written as
/// `CIDR[ via IP]`; without a router it goes via the network's gateway.
public struct DHCPRoute: Hashable, Sendable, CustomStringConvertible {
    public var destination: IPv4Subnet
    public var via: IPv4Address?

    public init(destination: IPv4Subnet, via: IPv4Address? = nil) {
        self.destination = destination
        self.via = via
    }

    /// Parses `CIDR` or `CIDR via IP`; nil for anything else (a host part in the CIDR too).
    public init?(_ text: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count == 1 || (words.count == 3 && words[1] == "via"),
            let destination = IPv4Subnet(words[0]), destination.description == words[0]
        else { return nil }
        var via: IPv4Address?
        if words.count == 3 {
            guard let router = IPv4Address(words[2]) else { return nil }
            via = router
        }
        self.init(destination: destination, via: via)
    }

    public var description: String { destination.description + (via.map { " via \($0)" } ?? "") }
}
