import JSON

/// One clause of an OVSDB `where`: `[column, function, value]`.
public struct OVSDBCondition: Hashable, Sendable {
    public var column: String
    public var function: String
    public var value: OVSDBDatum

    public init(_ column: String, _ function: String, _ value: OVSDBDatum) {
        self.column = column
        self.function = function
        self.value = value
    }

    public static func equals(_ column: String, _ value: OVSDBDatum) -> OVSDBCondition { OVSDBCondition(column, "==", value) }
    public static func includes(_ column: String, _ value: OVSDBDatum) -> OVSDBCondition { OVSDBCondition(column, "includes", value) }
    public static func uuid(_ uuid: String) -> OVSDBCondition { OVSDBCondition("_uuid", "==", .uuid(uuid)) }

    public var json: JSONValue { [.string(column), .string(function), value.json] }
}
