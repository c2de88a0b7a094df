/// Decides a new reservation: checks a chosen MAC and address, or picks them.
public enum ReservationPlanner {
    public static func reserve(
        host name: String, mac wantedMAC: String?, ip wantedIP: String?, network: NetworkRecord, existing: [HostReservation]
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
        return HostReservation(name: name, mac: mac, ip: ip)
    }
}
