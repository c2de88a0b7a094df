/// One DHCPv6 line of dnsmasq's lease file. After the `duid SERVER-DUID` line, each lease is
/// `<expiry> <iaid> <address> <hostname|*> <client DUID>`, the IAID prefixed with `T` for a
/// temporary address.
public struct DHCPv6Lease: Hashable, Sendable {
    public let expires: Int64
    public let iaid: UInt32
    public let temporary: Bool
    public let address: IPv6Address
    public let hostname: String?
    /// The client's DUID as dnsmasq writes it: colon-separated hex bytes.
    public let duid: String

    public init(expires: Int64, iaid: UInt32, temporary: Bool = false, address: IPv6Address, hostname: String?, duid: String) {
        self.expires = expires
        self.iaid = iaid
        self.temporary = temporary
        self.address = address
        self.hostname = hostname
        self.duid = duid
    }

    /// The client's MAC when its DUID carries one: DUID-LLT (type 1) and DUID-LL (type 3) of
    /// an Ethernet interface, which dhclient and dhcpcd send.
    public var mac: MACAddress? {
        let bytes = duid.split(separator: ":").compactMap { UInt8($0, radix: 16) }
        guard bytes.count == duid.split(separator: ":").count, bytes.count >= 4, bytes[2] == 0, bytes[3] == 1 else { return nil }
        switch (bytes[0], bytes[1], bytes.count) {
        case (0, 1, 14): return MACAddress(bytes: Array(bytes[8...]))
        case (0, 3, 10): return MACAddress(bytes: Array(bytes[4...]))
        default: return nil
        }
    }

    /// Parses the IPv6 part of a lease file (the lines after `duid`); IPv4 leases come before
    /// it and are `DHCPLease`'s.
    public static func parse(_ text: String) -> [DHCPv6Lease] {
        var inIPv6 = false
        var leases: [DHCPv6Lease] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ")
            if fields.first == "duid" { inIPv6 = true; continue }
            guard inIPv6, fields.count >= 5, let expires = Int64(fields[0]), let address = IPv6Address(fields[2]) else { continue }
            let temporary = fields[1].hasPrefix("T")
            guard let iaid = UInt32(temporary ? fields[1].dropFirst() : fields[1]) else { continue }
            leases.append(DHCPv6Lease(expires: expires, iaid: iaid, temporary: temporary, address: address,
                                      hostname: fields[3] == "*" ? nil : String(fields[3]), duid: String(fields[4])))
        }
        return leases
    }
}
