/// A member's attachments whose network is gone: `destroy` on another member deletes the
/// network's rows in NB, this member's port among them, but cannot reach this host's OVS port
/// and kernel side. They are found by comparing the local OVS ports vmnet made with the member
/// ports NB still holds for this chassis.
public struct StaleAttachments: Hashable, Sendable {
    public struct Attachment: Hashable, Sendable {
        public var network: String
        public var interface: String
        public var portUUID: String
    }

    public var attachments: [Attachment]

    /// `localPorts`: the local Open vSwitch's Port rows (name, external_ids, _uuid);
    /// `memberPorts`: names of NB's logical ports owned by vmnet.
    public init(localPorts: [OVSDBRow], memberPorts: Set<String>, chassis: String) {
        attachments = localPorts.compactMap { row in
            let ids = row.map("external_ids")
            guard ids[OVNOwnership.ownerKey] == OVNOwnership.owner, let network = ids[OVNOwnership.networkKey],
                  let interface = row.string("name"), interface.hasPrefix(OVNNames.memberInterfacePrefix), let uuid = row.uuid,
                  let name = try? NetworkName(network) else { return nil }
            return memberPorts.contains(OVNNames.memberPort(name, chassis: chassis)) ? nil
                : Attachment(network: network, interface: interface, portUUID: uuid)
        }.sorted { $0.interface < $1.interface }
    }

    /// Local Port rows vmnet made (member ports carry the ownership marks).
    public static let readLocal = OVSDBOperation.select(table: "Port", where: OVNOwnership.owned, columns: ["_uuid", "name", "external_ids"])

    /// doctor's verdict: ok, or a warning naming each stale interface and its network.
    public var finding: DoctorFinding {
        guard !attachments.isEmpty else { return .ok(nil, "ovn-attachments", "every attachment of this host belongs to a network in the cluster") }
        let listed = attachments.map { "\($0.interface) (\($0.network))" }.joined(separator: ", ")
        return DoctorFinding(network: nil, check: "ovn-attachments", status: .warn,
                             detail: "attached to networks no longer in the cluster (destroyed on another member): \(listed)",
                             fix: "vmnet up --all")
    }
}
