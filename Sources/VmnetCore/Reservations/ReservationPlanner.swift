/// Decides a new reservation: checks a chosen MAC and address, or picks them.
public enum ReservationPlanner {
    public static func reserve(
        host name: String, mac wantedMAC: String?, ip wantedIP: String?, ip6 wantedIP6: String? = nil, network: NetworkRecord,
        existing: [HostReservation]
    ) throws(VmnetError) -> HostReservation {
        try HostReservation.validateName(name)
        let others = existing.filter { $0.name != name }
        let range = network.plan.staticHosts

        let mac: MACAddress
        if let wantedMAC {
            guard let parsed = MACAddress(wantedMAC.lowercased()) else {
                throw .invalid("MAC '\(wantedMAC)' is not a unicast Ethernet address such as 52:54:00:12:34:56")
            }
            if let owner = others.first(where: { $0.mac == parsed }) {
                throw .conflict("MAC \(parsed) is already reserved for host '\(owner.name)' on '\(network.name)'")
            }
            mac = parsed
        } else {
            var salt = 0
            var candidate = MACAddress.generated(from: "\(network.name)/\(name)")
            while others.contains(where: { $0.mac == candidate }) {
                salt += 1
                candidate = MACAddress.generated(from: "\(network.name)/\(name)#\(salt)")
            }
            mac = candidate
        }

        let ip: IPv4Address
        if let wantedIP {
            guard let parsed = IPv4Address(wantedIP) else { throw .invalid("address '\(wantedIP)' is not an IPv4 address") }
            guard range.contains(parsed) else {
                throw .invalid("address \(parsed) is outside the static range of '\(network.name)': use \(range.start) to \(range.end)")
            }
            if let owner = others.first(where: { $0.ip == parsed }) {
                throw .conflict("address \(parsed) is already reserved for host '\(owner.name)' on '\(network.name)'")
            }
            ip = parsed
        } else {
            let taken = Set(others.map(\.ip))
            guard let free = (0..<range.count).lazy.map({ range.start.advanced(by: $0) }).first(where: { !taken.contains($0) }) else {
                throw VmnetError(.exhausted, "no free address left in the static range \(range.start)-\(range.end) of '\(network.name)': remove a host first")
            }
            ip = free
        }
        return HostReservation(name: name, mac: mac, ip: ip, ip6: try reserve6(wantedIP6, ip: ip, network: network, others: others))
    }

    /// The IPv6 address: the one asked for, else the one at the IPv4 address's host offset
    /// (10.140.3.20/24 gives ...::14), so both addresses of a host look alike.
    static func reserve6(_ wanted: String?, ip: IPv4Address, network: NetworkRecord, others: [HostReservation]) throws(VmnetError) -> IPv6Address? {
        guard let plan6 = network.plan6 else {
            if let wanted { throw .invalid("IPv6 address '\(wanted)' for a network without IPv6: '\(network.name)' has ipv6 off") }
            return nil
        }
        let range = plan6.staticHosts
        let ip6: IPv6Address
        if let wanted {
            guard let parsed = IPv6Address(wanted) else { throw .invalid("address '\(wanted)' is not an IPv6 address") }
            guard range.contains(parsed) else {
                throw .invalid("address \(parsed) is outside the static IPv6 range of '\(network.name)': use \(range.lowerBound) to \(range.upperBound)")
            }
            ip6 = parsed
        } else {
            let offset = ip.value - network.subnet.network.value
            guard let derived = plan6.derived(fromHostOffset: offset) else {
                throw .invalid("the IPv6 address at host offset \(offset) of \(ip) is outside the static IPv6 range of '\(network.name)': choose one with --ip6 from \(range.lowerBound) to \(range.upperBound)")
            }
            ip6 = derived
        }
        if let owner = others.first(where: { $0.ip6 == ip6 }) {
            throw .conflict("address \(ip6) is already reserved for host '\(owner.name)' on '\(network.name)'" + (wanted == nil ? ": choose another with --ip6" : ""))
        }
        return ip6
    }
}
