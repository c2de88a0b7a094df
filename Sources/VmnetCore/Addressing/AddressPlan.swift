import JSON

/// How a network's subnet is divided: the gateway, addresses reserved for static hosts,
/// addresses for containers (static IPAM), and dnsmasq's DHCP pool. The three ranges never
/// overlap, so a container never takes an address DHCP could hand out.
public struct AddressPlan: Hashable, Sendable {
    public let subnet: IPv4Subnet
    public let gateway: IPv4Address
    public let staticHosts: IPv4Range
    public let containers: IPv4Range
    public let dhcp: IPv4Range

    /// Host offsets of a plan, as a profile states them for its prefix length.
    public struct Offsets: Hashable, Sendable {
        public var gateway: UInt32
        public var staticHosts: ClosedRange<UInt32>
        public var containers: ClosedRange<UInt32>
        public var dhcp: ClosedRange<UInt32>

        public init(gateway: UInt32, staticHosts: ClosedRange<UInt32>, containers: ClosedRange<UInt32>, dhcp: ClosedRange<UInt32>) {
            self.gateway = gateway
            self.staticHosts = staticHosts
            self.containers = containers
            self.dhcp = dhcp
        }

        /// The default: gateway .1, then quarters: the first quarter (after the gateway) for
        /// static hosts, the middle half for containers, the last quarter (less broadcast) for
        /// DHCP. For a /24 that is .2–.63, .64–.191, .192–.254.
        public static func proportional(prefixLength: Int) -> Offsets {
            let size = UInt32(1) << UInt32(32 - prefixLength)
            let quarter = size / 4
            return Offsets(
                gateway: 1,
                staticHosts: 2...(quarter - 1),
                containers: quarter...(3 * quarter - 1),
                dhcp: (3 * quarter)...(size - 2)
            )
        }

        /// Why these offsets cannot serve a subnet of `prefixLength`, or nil when they can.
        public func problem(prefixLength: Int) -> String? {
            let broadcast = (UInt32(1) << UInt32(32 - prefixLength)) - 1
            let ranges = [("static", staticHosts), ("containers", containers), ("dhcp", dhcp)]
            if gateway == 0 || gateway >= broadcast { return "gateway offset \(gateway) is not a host address in a /\(prefixLength)" }
            for (name, range) in ranges {
                if range.lowerBound == 0 || range.upperBound >= broadcast {
                    return "\(name) range \(range.lowerBound)-\(range.upperBound) does not fit a /\(prefixLength) (host offsets 1-\(broadcast - 1))"
                }
                if range.contains(gateway) { return "\(name) range contains the gateway offset \(gateway)" }
            }
            for i in 0..<ranges.count {
                for j in (i + 1)..<ranges.count where ranges[i].1.overlaps(ranges[j].1) {
                    return "\(ranges[i].0) and \(ranges[j].0) ranges overlap"
                }
            }
            return nil
        }
    }

    public init(subnet: IPv4Subnet, offsets: Offsets) {
        self.subnet = subnet
        gateway = subnet.host(offsets.gateway)
        staticHosts = IPv4Range(start: subnet.host(offsets.staticHosts.lowerBound), end: subnet.host(offsets.staticHosts.upperBound))
        containers = IPv4Range(start: subnet.host(offsets.containers.lowerBound), end: subnet.host(offsets.containers.upperBound))
        dhcp = IPv4Range(start: subnet.host(offsets.dhcp.lowerBound), end: subnet.host(offsets.dhcp.upperBound))
    }
}

extension AddressPlan.Offsets {
    /// `{"gateway": 1, "static": [2, 63], …}`, as profiles and records write it.
    public var json: JSONValue {
        func pair(_ range: ClosedRange<UInt32>) -> JSONValue { [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))] }
        return .object([
            "gateway": .integer(Int64(gateway)), "static": pair(staticHosts), "containers": pair(containers), "dhcp": pair(dhcp),
        ])
    }
}
