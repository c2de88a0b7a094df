import JSON

/// Reads one of vmnet's state files strictly: a document of the wrong shape is an error
/// located as `FILE:LINE: key: problem`, never a silently shorter list. Each file carries a
/// `version`; a newer one is refused, older ones (or none) are handed to the caller to migrate.
public struct StateFileReader: Sendable {
    public let file: String
    public let root: JSONObject
    /// The file's version; 0 when it has none (written before versions were read).
    public let version: Int
    /// What its errors are: `failed` for vmnet's own state (exit 1), `invalidInput` for a file
    /// the user wrote, such as a project file (exit 2).
    public let code: VmnetError.Code
    private let text: String
    /// Built only for an error's line number: mapping every record read by `list` cost more
    /// than parsing it.
    private var sourceMap: JSONSourceMap { JSONSourceMap(text: text) }

    /// Parses `text`. `current` is the newest version this vmnet writes; `legacyArray` accepts
    /// a top-level array (hosts.json before version 1) as `{"version": 0, arrayKey: [...]}`.
    public init(file: String, text: String, current: Int, legacyArrayKey: String? = nil, code: VmnetError.Code = .failed) throws(VmnetError) {
        self.file = file
        self.text = text
        self.code = code
        let value: JSONValue
        do { value = try JSONCodec.parse(text, source: file) } catch {
            throw StateFileReader.error(code, file, error.line, nil, "not valid JSON at column \(error.column): \(error.reason)")
        }
        if let legacyArrayKey, case .array = value {
            root = [legacyArrayKey: value]
            version = 0
            return
        }
        guard let object = value.objectValue else {
            throw StateFileReader.error(code, file, 1, nil, "expected a JSON object, found \(value.typeName)")
        }
        root = object
        if let stated = object["version"] {
            guard case .integer = stated, let number = stated.intValue, number >= 1 else {
                throw StateFileReader.error(code, file, JSONSourceMap(text: text).line(ofKey: "version"), "version", "expected a whole number from 1, found \(JSONCodec.serialize(stated, compact: true))")
            }
            guard number <= current else {
                throw StateFileReader.error(code, file, JSONSourceMap(text: text).line(ofKey: "version"), "version",
                                            "version \(number) was written by a newer vmnet (this one reads up to \(current)): upgrade vmnet")
            }
            version = number
        } else {
            version = 0
        }
    }

    /// The one-line error for `key` (a dotted path such as `hosts[2].mac`, located by its last part).
    public func failure(_ key: String, _ problem: String, afterLine: Int = 0) -> VmnetError {
        StateFileReader.error(code, file, line(of: key, afterLine: afterLine), key, problem)
    }

    public func line(of key: String, afterLine: Int = 0) -> Int? {
        let last = key.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? key
        return sourceMap.line(ofKey: last, afterLine: afterLine)
    }

    /// Refuses members not in `known` (a typo or a field of another format would be lost at the next write).
    public func rejectUnknown(_ object: JSONObject, known: [String], path: String = "", afterLine: Int = 0) throws(VmnetError) {
        for key in object.keys where !known.contains(key) {
            throw failure(path + key, "unknown key; known keys are \(known.joined(separator: ", "))", afterLine: afterLine)
        }
    }

    public func member(_ object: JSONObject, _ key: String, path: String = "", afterLine: Int = 0) throws(VmnetError) -> JSONValue {
        guard let value = object[key] else { throw missing(path + key, afterLine: afterLine) }
        return value
    }

    public func string(_ object: JSONObject, _ key: String, path: String = "", afterLine: Int = 0) throws(VmnetError) -> String {
        let value = try member(object, key, path: path, afterLine: afterLine)
        guard let text = value.stringValue else { throw typeFailure(path + key, "a string", value, afterLine: afterLine) }
        return text
    }

    public func bool(_ object: JSONObject, _ key: String, path: String = "", afterLine: Int = 0) throws(VmnetError) -> Bool {
        let value = try member(object, key, path: path, afterLine: afterLine)
        guard let flag = value.boolValue else { throw typeFailure(path + key, "a boolean", value, afterLine: afterLine) }
        return flag
    }

    public func integer(_ value: JSONValue, _ key: String, afterLine: Int = 0) throws(VmnetError) -> Int {
        guard case .integer = value, let number = value.intValue else { throw typeFailure(key, "a whole number", value, afterLine: afterLine) }
        return number
    }

    public func object(_ value: JSONValue, _ key: String, afterLine: Int = 0) throws(VmnetError) -> JSONObject {
        guard let object = value.objectValue else { throw typeFailure(key, "an object", value, afterLine: afterLine) }
        return object
    }

    public func missing(_ key: String, afterLine: Int = 0) -> VmnetError {
        let parent = key.split(separator: ".").dropLast().joined(separator: ".")
        let line = parent.isEmpty ? 1 : self.line(of: parent, afterLine: afterLine)
        return StateFileReader.error(code, file, line, key, "missing")
    }

    public func typeFailure(_ key: String, _ expected: String, _ value: JSONValue, afterLine: Int = 0) -> VmnetError {
        failure(key, "expected \(expected), found \(value.typeName)", afterLine: afterLine)
    }

    /// An error at a line the caller located itself (an array entry without keys).
    public static func located(_ reader: StateFileReader, _ key: String, _ line: Int, _ problem: String) -> VmnetError {
        error(reader.code, reader.file, line, key, problem)
    }

    /// Keys come from the file too: a control character in one is shown escaped, so the
    /// message stays one line.
    private static func error(_ code: VmnetError.Code, _ file: String, _ line: Int?, _ key: String?, _ problem: String) -> VmnetError {
        let place = line.map { "\(file):\($0)" } ?? file
        let message = key.map { "\(place): \($0): \(problem)" } ?? "\(place): \(problem)"
        return VmnetError(code, String(String.UnicodeScalarView(message.unicodeScalars.flatMap { (scalar) -> [Unicode.Scalar] in
            scalar.value < 0x20 || scalar.value == 0x7F ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
        })))
    }
}
