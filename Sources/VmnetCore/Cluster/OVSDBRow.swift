import JSON

/// One row as a `select` returns it, with typed reads of its columns.
public struct OVSDBRow: Hashable, Sendable {
    public var columns: [String: OVSDBDatum]

    public init(_ columns: [String: OVSDBDatum]) { self.columns = columns }

    public init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        var columns: [String: OVSDBDatum] = [:]
        for (key, value) in object.members {
            guard let datum = OVSDBDatum(json: value) else { return nil }
            columns[key] = datum
        }
        self.columns = columns
    }

    public subscript(column: String) -> OVSDBDatum? { columns[column] }

    /// The row's `_uuid`, when it was selected.
    public var uuid: String? { columns["_uuid"]?.text }

    /// An atom column (or an optional one holding a value) as text.
    public func string(_ column: String) -> String? { columns[column]?.text }

    public func integer(_ column: String) -> Int? {
        if case .integer(let value)? = columns[column]?.members.first { return value }
        return nil
    }

    public func bool(_ column: String) -> Bool? {
        if case .bool(let value)? = columns[column]?.members.first { return value }
        return nil
    }

    /// A map column; an absent or empty one is an empty map.
    public func map(_ column: String) -> [String: String] {
        if case .map(let map)? = columns[column] { return map }
        return [:]
    }

    /// A set column's members as text (uuids bare).
    public func strings(_ column: String) -> [String] {
        guard let datum = columns[column] else { return [] }
        if case .set(let members) = datum { return members.compactMap(\.text) }
        return datum.text.map { [$0] } ?? []
    }
}
