/// How vmnet marks the northbound rows it owns, so that it finds, shows and deletes exactly
/// those and never a row another tool made.
public enum OVNOwnership {
    public static let ownerKey = "vmnet-owner"
    public static let owner = "vmnet"
    public static let networkKey = "vmnet-network"
    public static let versionKey = "vmnet-version"
    public static let version = "1"

    /// The external_ids of a row that belongs to `network` (plus `extra` keys).
    public static func marks(network: String, _ extra: [String: String] = [:]) -> [String: String] {
        [ownerKey: owner, networkKey: network, versionKey: version].merging(extra) { $1 }
    }

    /// Rows of one network.
    public static func belongs(to network: String) -> [OVSDBCondition] {
        [.includes("external_ids", .map([ownerKey: owner, networkKey: network]))]
    }

    /// Every row vmnet owns.
    public static var owned: [OVSDBCondition] { [.includes("external_ids", .map([ownerKey: owner]))] }
}
