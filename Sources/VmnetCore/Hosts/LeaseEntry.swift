import JSON

/// One row of `vmnet leases`: who holds which address, from which source.
public struct LeaseEntry: Hashable, Sendable {
    public enum Source: String, Sendable {
        case dhcp, reserved, container
    }

    public let network: String
    public let mac: String?
    public let ip: IPv4Address
    public let hostname: String?
    public let expires: Int64?
    public let source: Source

    public init(network: String, mac: String?, ip: IPv4Address, hostname: String?, expires: Int64?, source: Source) {
        self.network = network
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
        self.expires = expires
        self.source = source
    }

    /// Merges dnsmasq's leases, the reservations and the container addresses into one list
    /// sorted by address. A reservation with a lease shows once, as "reserved", with the
    /// lease's expiry.
    public static func merge(network: String, leases: [DHCPLease], reservations: [HostReservation], containers: [(ip: IPv4Address, id: String)]) -> [LeaseEntry] {
        var entries: [LeaseEntry] = []
        var leaseByMAC: [MACAddress: DHCPLease] = [:]
        for lease in leases { leaseByMAC[lease.mac] = lease }
        let reservedMACs = Set(reservations.map(\.mac))
        for reservation in reservations {
            let lease = leaseByMAC[reservation.mac].flatMap { $0.ip == reservation.ip ? $0 : nil }
            entries.append(LeaseEntry(network: network, mac: reservation.mac.description, ip: reservation.ip, hostname: reservation.name,
                                      expires: lease?.expires, source: .reserved))
        }
        for lease in leases where !(reservedMACs.contains(lease.mac) && reservations.contains { $0.ip == lease.ip }) {
            entries.append(LeaseEntry(network: network, mac: lease.mac.description, ip: lease.ip, hostname: lease.hostname, expires: lease.expires, source: .dhcp))
        }
        for container in containers {
            entries.append(LeaseEntry(network: network, mac: nil, ip: container.ip, hostname: container.id, expires: nil, source: .container))
        }
        return entries.sorted { ($0.ip, $0.source.rawValue) < ($1.ip, $1.source.rawValue) }
    }

    public var json: JSONValue {
        .object([
            "network": .string(network),
            "mac": JSONValue(mac),
            "ip": .string(ip.description),
            "hostname": JSONValue(hostname),
            "expires": expires.map { .integer($0) } ?? .null,
            "source": .string(source.rawValue),
        ])
    }

    public static func table(_ entries: [LeaseEntry], now: Int64) -> String {
        var table = TextTable(headers: ["NETWORK", "IP", "MAC", "HOSTNAME", "SOURCE", "EXPIRES"])
        for entry in entries {
            let expires = entry.expires.map { $0 == 0 ? "never" : "in \(max(0, $0 - now))s" } ?? "-"
            table.append([entry.network, entry.ip.description, entry.mac ?? "-", entry.hostname ?? "-", entry.source.rawValue, expires])
        }
        return table.render()
    }
}
