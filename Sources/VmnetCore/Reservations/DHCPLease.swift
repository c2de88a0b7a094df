/// One line of dnsmasq's lease file: `<expiry> <mac> <ip> <hostname|*> <client-id|*>`.
public struct DHCPLease: Hashable, Sendable {
    public let expires: Int64
    public let mac: MACAddress
    public let ip: IPv4Address
    public let hostname: String?

    public init(expires: Int64, mac: MACAddress, ip: IPv4Address, hostname: String?) {
        self.expires = expires
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
    }

    /// Parses a lease file; lines that are not IPv4 leases (the DUID line, IPv6) are skipped.
    public static func parse(_ text: String) -> [DHCPLease] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 4, let expires = Int64(fields[0]), let mac = MACAddress(String(fields[1]).lowercased()),
                let ip = IPv4Address(fields[2])
            else { return nil }
            return DHCPLease(expires: expires, mac: mac, ip: ip, hostname: fields[3] == "*" ? nil : String(fields[3]))
        }
    }
}
