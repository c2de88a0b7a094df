/// One IPv4 policy-routing rule (`ip rule`): which table a lookup tries, and when.
public struct PolicyRule: Hashable, Sendable {
    public let priority: Int
    public let table: String
    /// Whether every packet the host routes to a guest matches it: no selector but `from all`
    /// and an inverted fwmark (wg-quick's `not fwmark 0xca6c` matches all unmarked traffic).
    public let matchesEveryPacket: Bool
    /// `suppress_prefixlength N`: the table's routes of prefix length N or shorter are ignored.
    public let suppressPrefixLength: Int?

    public init(priority: Int, table: String, matchesEveryPacket: Bool = true, suppressPrefixLength: Int? = nil) {
        self.priority = priority
        self.table = table
        self.matchesEveryPacket = matchesEveryPacket
        self.suppressPrefixLength = suppressPrefixLength
    }

    public var description: String {
        "ip rule \(priority): lookup \(table)" + (suppressPrefixLength.map { " suppress_prefixlength \($0)" } ?? "")
    }

    /// What a host without policy routing has: local, main, default.
    public static let defaults = [
        PolicyRule(priority: 0, table: "local"), PolicyRule(priority: 32766, table: "main"), PolicyRule(priority: 32767, table: "default"),
    ]
}
