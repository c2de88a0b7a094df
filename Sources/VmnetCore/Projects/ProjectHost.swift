/// A host a project file reserves on one of its networks; what it leaves out (MAC, address)
/// vmnet chooses once and keeps.
public struct ProjectHost: Hashable, Sendable {
    public var name: String
    public var mac: MACAddress?
    public var ip: IPv4Address?
    public var ip6: IPv6Address?

    public init(name: String, mac: MACAddress? = nil, ip: IPv4Address? = nil, ip6: IPv6Address? = nil) {
        self.name = name
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
    }

    /// Whether `reservation` already is what the file asks for: only the parts it names count.
    public func isSatisfied(by reservation: HostReservation) -> Bool {
        reservation.name == name && (mac == nil || mac == reservation.mac) && (ip == nil || ip == reservation.ip)
            && (ip6 == nil || ip6 == reservation.ip6)
    }
}
