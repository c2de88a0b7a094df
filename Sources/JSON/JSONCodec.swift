import CJansson
import Glibc

/// The one place that speaks libjansson's C API.
public enum JSONCodec {
    // jansson's flag macros take arguments or are not imported; their values are stable ABI.
    private static let rejectDuplicates: Int = 0x1
    private static let decodeAny: Int = 0x4
    private static let compact: Int = 0x20
    private static let preserveOrder: Int = 0x100
    private static let encodeAny: Int = 0x200
    private static let indentTwo: Int = 2

    /// Parses `text`; `source` names it (a file path, or a command) in errors.
    public static func parse(_ text: String, source: String) throws(JSONError) -> JSONValue {
        var error = json_error_t()
        let flags = rejectDuplicates | decodeAny
        let root: UnsafeMutablePointer<json_t>? = text.withCString { cString in
            json_loadb(cString, strlen(cString), flags, &error)
        }
        guard let root else {
            let reason = withUnsafeBytes(of: error.text) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw JSONError(source: source, line: max(1, Int(error.line)), column: max(1, Int(error.column)), reason: reason)
        }
        defer { json_decref(root) }
        return value(of: root)
    }

    /// Serialises `value`: indented by two spaces unless `compact`, always ending in a newline
    /// when indented, keys in the order they were given.
    public static func serialize(_ value: JSONValue, compact: Bool = false) -> String {
        let root = makeNode(value)
        defer { json_decref(root) }
        let flags = preserveOrder | encodeAny | (compact ? Self.compact : indentTwo)
        guard let cString = json_dumps(root, flags) else { return "null" }
        defer { free(cString) }
        let text = String(cString: cString)
        return compact ? text : text + "\n"
    }

    private static func value(of node: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch node.pointee.type {
        case JSON_OBJECT:
            var object = JSONObject()
            var iterator = json_object_iter(node)
            while let current = iterator {
                let key = String(cString: json_object_iter_key(current))
                if let child = json_object_iter_value(current) {
                    object[key] = value(of: child)
                }
                iterator = json_object_iter_next(node, current)
            }
            return .object(object)
        case JSON_ARRAY:
            return .array((0..<json_array_size(node)).compactMap { index in
                json_array_get(node, index).map { value(of: $0) }
            })
        case JSON_STRING:
            let length = json_string_length(node)
            guard let bytes = json_string_value(node) else { return .string("") }
            return .string(bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            })
        case JSON_INTEGER:
            return .integer(Int64(json_integer_value(node)))
        case JSON_REAL:
            return .number(json_real_value(node))
        case JSON_TRUE:
            return .bool(true)
        case JSON_FALSE:
            return .bool(false)
        default:
            return .null
        }
    }

    private static func makeNode(_ value: JSONValue) -> UnsafeMutablePointer<json_t> {
        switch value {
        case .null:
            return json_null()
        case .bool(let flag):
            return flag ? json_true() : json_false()
        case .integer(let number):
            return json_integer(json_int_t(number))
        case .number(let number):
            return json_real(number)
        case .string(let text):
            let utf8 = Array(text.utf8)
            return utf8.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(1, utf8.count)) {
                    json_stringn_nocheck($0, utf8.count)
                }
            } ?? json_null()
        case .array(let elements):
            let node = json_array()!
            for element in elements { json_array_append_new(node, makeNode(element)) }
            return node
        case .object(let object):
            let node = json_object()!
            for member in object.members { json_object_set_new_nocheck(node, member.key, makeNode(member.value)) }
            return node
        }
    }
}
