import JSON

/// A value of an OVSDB column in RFC 7047's JSON notation: atoms are plain JSON, sets and maps
/// are tagged arrays (`["set", [...]]`, `["map", [[k, v], ...]]`), row references are
/// `["uuid", "…"]`, and references to rows inserted in the same transaction `["named-uuid", "…"]`.
public enum OVSDBDatum: Hashable, Sendable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case uuid(String)
    case namedUUID(String)
    case set([OVSDBDatum])
    case map([String: String])

    public var json: JSONValue {
        switch self {
        case .string(let value): return .string(value)
        case .integer(let value): return .integer(Int64(value))
        case .bool(let value): return .bool(value)
        case .uuid(let value): return ["uuid", .string(value)]
        case .namedUUID(let value): return ["named-uuid", .string(value)]
        case .set(let members): return ["set", .array(members.map(\.json))]
        // Sorted: the same map always serializes the same way, for golden files and `wait` rows.
        case .map(let pairs): return ["map", .array(pairs.sorted { $0.key < $1.key }.map { [.string($0.key), .string($0.value)] })]
        }
    }

    /// A set of strings, the common case (addresses, networks).
    public static func strings(_ values: [String]) -> OVSDBDatum { .set(values.map { .string($0) }) }

    /// An optional reference (a set of zero or one uuid).
    public static let none = OVSDBDatum.set([])

    /// Decodes a datum as ovsdb-server returns it; nil for JSON that is no datum.
    public init?(json: JSONValue) {
        switch json {
        case .string(let value): self = .string(value)
        case .integer(let value): self = .integer(Int(value))
        case .bool(let value): self = .bool(value)
        case .array(let pair) where pair.count == 2:
            switch (pair[0].stringValue, pair[1]) {
            case ("uuid", .string(let value)): self = .uuid(value)
            case ("named-uuid", .string(let value)): self = .namedUUID(value)
            case ("set", .array(let members)):
                var decoded: [OVSDBDatum] = []
                for member in members {
                    guard let datum = OVSDBDatum(json: member) else { return nil }
                    decoded.append(datum)
                }
                self = .set(decoded)
            case ("map", .array(let pairs)):
                var map: [String: String] = [:]
                for pair in pairs {
                    guard let items = pair.arrayValue, items.count == 2 else { return nil }
                    map[OVSDBDatum(json: items[0])?.text ?? ""] = OVSDBDatum(json: items[1])?.text ?? ""
                }
                self = .map(map)
            default: return nil
            }
        default: return nil
        }
    }

    /// The datum as one string: atoms as themselves, uuids bare; nil for sets and maps.
    public var text: String? {
        switch self {
        case .string(let value), .uuid(let value), .namedUUID(let value): return value
        case .integer(let value): return String(value)
        case .bool(let value): return String(value)
        case .set(let members) where members.count == 1: return members[0].text
        case .set, .map: return nil
        }
    }

    /// The members of a set (a single atom is a set of one, as OVSDB allows).
    public var members: [OVSDBDatum] {
        if case .set(let members) = self { return members }
        return [self]
    }
}
