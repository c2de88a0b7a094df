/// `vmnet cluster join`'s arguments, validated: the databases in OVSDB form, the tunnel
/// address, the chassis name when one is asked for, and whether the host is to be a gateway.
public struct ClusterJoinRequest: Hashable, Sendable {
    public var northbound: OVSDBAddress
    public var southbound: OVSDBAddress
    public var encapIP: String
    /// nil: the local Open vSwitch's system-id when set, else the host name (`chassisName`).
    public var chassis: String?
    public var gateway: Bool

    /// OVN's convention: the southbound database listens beside the northbound one, on 6642.
    public static let southboundPort = 6642

    public init(northbound: String, southbound: String?, encapIP: String, chassis: String?, gateway: Bool) throws(VmnetError) {
        let doing = "joining the cluster"
        guard let nb = OVSDBAddress(northbound) else { throw .invalid("\(doing): --nb '\(northbound)' is not an OVSDB address: \(OVSDBAddress.formHint)") }
        var sb = nb.withPort(ClusterJoinRequest.southboundPort)
        if let southbound {
            guard let given = OVSDBAddress(southbound) else { throw .invalid("\(doing): --sb '\(southbound)' is not an OVSDB address: \(OVSDBAddress.formHint)") }
            sb = given
        }
        guard IPv4Address(encapIP) != nil || IPv6Address(encapIP) != nil else {
            throw .invalid("\(doing): --encap-ip '\(encapIP)' is not an IP address: give this host's address on the network the other members reach it by")
        }
        if let chassis, !ClusterJoinRequest.isValidChassisName(chassis) {
            throw .invalid("\(doing): --chassis '\(chassis)' is not a chassis name: use up to 64 letters, digits, '.', '_' or '-'")
        }
        self.northbound = nb
        self.southbound = sb
        self.encapIP = encapIP
        self.chassis = chassis
        self.gateway = gateway
    }

    /// Names that are safe in OVN's tables, in vmnet's port names (`vmnet-NET-host-CHASSIS`)
    /// and in DNS labels.
    public static func isValidChassisName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix("-")
            && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0) }
    }

    /// `--chassis`, else the system-id the local Open vSwitch already has (OVN's own chassis
    /// name for the host), else the host name.
    public func chassisName(systemID: String?, hostname: String) -> String {
        if let chassis { return chassis }
        if let systemID, !systemID.isEmpty { return systemID }
        return hostname
    }
}
