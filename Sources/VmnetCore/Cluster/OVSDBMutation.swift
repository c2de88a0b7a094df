import JSON

/// One mutation of an OVSDB `mutate`: `[column, mutator, value]` (`insert`/`delete` on sets
/// and maps, `+=` on integers).
public struct OVSDBMutation: Hashable, Sendable {
    public var column: String
    public var mutator: String
    public var value: OVSDBDatum

    public init(_ column: String, _ mutator: String, _ value: OVSDBDatum) {
        self.column = column
        self.mutator = mutator
        self.value = value
    }

    public static func insert(_ column: String, _ value: OVSDBDatum) -> OVSDBMutation { OVSDBMutation(column, "insert", value) }
    public static func delete(_ column: String, _ value: OVSDBDatum) -> OVSDBMutation { OVSDBMutation(column, "delete", value) }

    public var json: JSONValue { [.string(column), .string(mutator), value.json] }
}
