import JSON

/// One operation of an OVSDB transaction (RFC 7047 §5.2), as a value; `json` is what goes on
/// the wire. A transaction is all-or-nothing: when one operation fails, none has effect.
public enum OVSDBOperation: Hashable, Sendable {
    case insert(table: String, row: [String: OVSDBDatum], uuidName: String?)
    case update(table: String, where: [OVSDBCondition], row: [String: OVSDBDatum])
    case mutate(table: String, where: [OVSDBCondition], mutations: [OVSDBMutation])
    case delete(table: String, where: [OVSDBCondition])
    case select(table: String, where: [OVSDBCondition], columns: [String])
    /// Holds only while the rows matching `where` still have exactly these `columns` values:
    /// the optimistic check that what a planner read is still true when its change lands.
    case wait(table: String, where: [OVSDBCondition], columns: [String], rows: [[String: OVSDBDatum]])
    case comment(String)

    public var json: JSONValue {
        switch self {
        case .insert(let table, let row, let uuidName):
            var members: [(String, JSONValue)] = [("op", "insert"), ("table", .string(table)), ("row", OVSDBOperation.rowJSON(row))]
            if let uuidName { members.append(("uuid-name", .string(uuidName))) }
            return .object(JSONObject(members))
        case .update(let table, let conditions, let row):
            return .object(JSONObject([("op", "update"), ("table", .string(table)), ("where", OVSDBOperation.whereJSON(conditions)),
                                       ("row", OVSDBOperation.rowJSON(row))]))
        case .mutate(let table, let conditions, let mutations):
            return .object(JSONObject([("op", "mutate"), ("table", .string(table)), ("where", OVSDBOperation.whereJSON(conditions)),
                                       ("mutations", .array(mutations.map(\.json)))]))
        case .delete(let table, let conditions):
            return .object(JSONObject([("op", "delete"), ("table", .string(table)), ("where", OVSDBOperation.whereJSON(conditions))]))
        case .select(let table, let conditions, let columns):
            return .object(JSONObject([("op", "select"), ("table", .string(table)), ("where", OVSDBOperation.whereJSON(conditions)),
                                       ("columns", JSONValue(columns))]))
        case .wait(let table, let conditions, let columns, let rows):
            return .object(JSONObject([("op", "wait"), ("timeout", 0), ("table", .string(table)),
                                       ("where", OVSDBOperation.whereJSON(conditions)), ("columns", JSONValue(columns)),
                                       ("until", "=="), ("rows", .array(rows.map(OVSDBOperation.rowJSON)))]))
        case .comment(let text):
            return .object(JSONObject([("op", "comment"), ("comment", .string(text))]))
        }
    }

    public var isSelect: Bool {
        if case .select = self { return true }
        return false
    }

    /// Columns in name order, so the same row always serializes the same way.
    static func rowJSON(_ row: [String: OVSDBDatum]) -> JSONValue {
        .object(JSONObject(row.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }))
    }

    static func whereJSON(_ conditions: [OVSDBCondition]) -> JSONValue { .array(conditions.map(\.json)) }
}
