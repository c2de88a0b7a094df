import JSON

/// One row of `vmnet leases`: who holds which address, from which source.
public struct LeaseEntry: Hashable, Sendable {
    public enum Source: String, Sendable {
        case dhcp, reserved, container
    }

    public let network: String
    public let mac: String?
    /// IPv4, or IPv6 for a DHCPv6 lease or a reservation's IPv6 address.
    public let ip: LeaseAddress
    public let hostname: String?
    public let expires: Int64?
    public let source: Source
    /// The name a DHCP client asked for when dnsmasq does not publish it (`hostname` is then nil).
    public let requestedName: String?
    /// Why `requestedName` is not published.
    public let note: String?

    public static let takenByReservation = "name taken by reservation"
    public static let takenByClient = "name taken by another client"

    public init(network: String, mac: String?, ip: IPv4Address, hostname: String?, expires: Int64?, source: Source,
                requestedName: String? = nil, note: String? = nil) {
        self.init(network: network, mac: mac, address: .v4(ip), hostname: hostname, expires: expires, source: source,
                  requestedName: requestedName, note: note)
    }

    public init(network: String, mac: String?, address ip: LeaseAddress, hostname: String?, expires: Int64?, source: Source,
                requestedName: String? = nil, note: String? = nil) {
        self.network = network
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
        self.expires = expires
        self.source = source
        self.requestedName = requestedName
        self.note = note
    }

    /// Merges dnsmasq's leases, the reservations and the container addresses into one list
    /// sorted by address. A reservation with a lease shows once, as "reserved", with the
    /// lease's expiry. A DHCP client's name that dnsmasq does not publish — a reservation's
    /// name (dnsmasq answers with the reservation), or a name another client holds (the newest
    /// lease gets it) — is shown as requested, with the reason, never as the client's name.
    /// Containers registered by vmnet's OCI hook show with their MAC and name (or the refused
    /// name and why); CNI's allocations of the same addresses are then not repeated.
    public static func merge(network: String, leases: [DHCPLease], reservations: [HostReservation], containers: [(ip: IPv4Address, id: String)],
                             registered: [ContainerRegistration] = [], leases6: [DHCPv6Lease] = []) -> [LeaseEntry] {
        var entries: [LeaseEntry] = []
        var leaseByMAC: [MACAddress: DHCPLease] = [:]
        for lease in leases { leaseByMAC[lease.mac] = lease }
        let reservedMACs = Set(reservations.map(\.mac))
        for reservation in reservations {
            let lease = leaseByMAC[reservation.mac].flatMap { $0.ip == reservation.ip ? $0 : nil }
            entries.append(LeaseEntry(network: network, mac: reservation.mac.description, ip: reservation.ip, hostname: reservation.name,
                                      expires: lease?.expires, source: .reserved))
        }
        let dynamic = leases.filter { lease in !(reservedMACs.contains(lease.mac) && reservations.contains { $0.ip == lease.ip }) }
        for lease in dynamic {
            var note: String?
            if let name = lease.hostname {
                if reservations.contains(where: { $0.name == name && $0.mac != lease.mac }) {
                    note = takenByReservation
                } else if registered.contains(where: { $0.publishedName == name }) {
                    // dnsmasq serves the addn-hosts name of a container that came first.
                    note = ContainerRegistration.takenByContainer
                } else if let holder = dynamic.filter({ $0.hostname == name }).max(by: { ($0.expires, $0.ip) < ($1.expires, $1.ip) }), holder != lease {
                    note = takenByClient
                }
            }
            entries.append(LeaseEntry(network: network, mac: lease.mac.description, ip: lease.ip, hostname: note == nil ? lease.hostname : nil,
                                      expires: lease.expires, source: .dhcp, requestedName: note == nil ? nil : lease.hostname, note: note))
        }
        for container in registered {
            entries.append(LeaseEntry(network: network, mac: container.mac.description, ip: container.ip, hostname: container.publishedName,
                                      expires: nil, source: .container, requestedName: container.note == nil ? nil : container.name, note: container.note))
        }
        let registeredIPs = Set(registered.map(\.ip))
        for container in containers where !registeredIPs.contains(container.ip) {
            entries.append(LeaseEntry(network: network, mac: nil, ip: container.ip, hostname: container.id, expires: nil, source: .container))
        }
        entries += merge6(network: network, leases: leases6, reservations: reservations)
        return entries.sorted { ($0.ip, $0.source.rawValue) < ($1.ip, $1.source.rawValue) }
    }

    /// The IPv6 rows, by dnsmasq's rules for DHCPv6 names: a reservation's name is its own; a
    /// name is shared by the leases of one client (one DUID), else the newest lease holds it.
    /// IPv4 and IPv6 leases do not take names from each other.
    static func merge6(network: String, leases: [DHCPv6Lease], reservations: [HostReservation]) -> [LeaseEntry] {
        var entries: [LeaseEntry] = []
        for reservation in reservations {
            guard let ip6 = reservation.ip6 else { continue }
            let lease = leases.first { $0.address == ip6 }
            entries.append(LeaseEntry(network: network, mac: reservation.mac.description, address: .v6(ip6), hostname: reservation.name,
                                      expires: lease?.expires, source: .reserved))
        }
        let reserved = Set(reservations.compactMap(\.ip6))
        let dynamic = leases.filter { !reserved.contains($0.address) }
        for lease in dynamic {
            var note: String?
            if let name = lease.hostname {
                if reservations.contains(where: { $0.name == name && $0.mac != lease.mac }) {
                    note = takenByReservation
                } else if let holder = dynamic.filter({ $0.hostname == name }).max(by: { ($0.expires, $0.address) < ($1.expires, $1.address) }),
                          holder.duid != lease.duid {
                    note = takenByClient
                }
            }
            entries.append(LeaseEntry(network: network, mac: lease.mac?.description, address: .v6(lease.address),
                                      hostname: note == nil ? lease.hostname : nil, expires: lease.expires, source: .dhcp,
                                      requestedName: note == nil ? nil : lease.hostname, note: note))
        }
        return entries
    }

    public var json: JSONValue {
        .object([
            "network": .string(network),
            "mac": JSONValue(mac),
            "ip": .string(ip.description),
            "family": .string(ip.family),
            "hostname": JSONValue(hostname),
            "expires": expires.map { .integer($0) } ?? .null,
            "source": .string(source.rawValue),
            "requested_name": JSONValue(requestedName),
            "note": JSONValue(note),
        ])
    }

    public static func table(_ entries: [LeaseEntry], now: Int64) -> String {
        var table = TextTable(headers: ["NETWORK", "IP", "MAC", "HOSTNAME", "SOURCE", "EXPIRES"])
        for entry in entries {
            let expires = entry.expires.map { $0 == 0 ? "never" : "in \(max(0, $0 - now))s" } ?? "-"
            table.append([entry.network, entry.ip.description, entry.mac ?? "-", entry.hostname ?? entry.requestedName.map { "- (\($0): \(entry.note ?? ""))" } ?? "-", entry.source.rawValue, expires])
        }
        return table.render()
    }
}
