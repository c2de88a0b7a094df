import JSON

/// A transaction on one database: what `ovsdb-client transact` sends as its params.
public struct OVSDBTransaction: Hashable, Sendable {
    public var database: String
    public var operations: [OVSDBOperation]

    public init(_ database: String, _ operations: [OVSDBOperation]) {
        self.database = database
        self.operations = operations
    }

    public static let northbound = "OVN_Northbound"
    public static let southbound = "OVN_Southbound"
    public static let openVSwitch = "Open_vSwitch"

    public var json: JSONValue { .array([.string(database)] + operations.map(\.json)) }

    /// The compact wire text (also what golden files hold, one operation per line).
    public var text: String { JSONCodec.serialize(json, compact: true) }

    /// One operation per line, for golden files and `--dry-run` style output.
    public var lines: String {
        ([database] + operations.map { JSONCodec.serialize($0.json, compact: true) }).joined(separator: "\n") + "\n"
    }
}
