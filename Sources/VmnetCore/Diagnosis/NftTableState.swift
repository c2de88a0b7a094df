import JSON

/// What `nft -j list table inet vmnet` shows: each chain's rule count and each set's
/// elements, spelled as `NftRuleset.elements` spells them so the two compare directly.
public struct NftTableState: Equatable, Sendable {
    public var ruleCounts: [String: Int]
    public var elements: [String: Set<String>]
    /// How many rules match against each set (`@name`): the policy's rules are known by the
    /// sets they consult. Empty when not read.
    public var setReferences: [String: Int]

    public init(ruleCounts: [String: Int] = [:], elements: [String: Set<String>] = [:], setReferences: [String: Int] = [:]) {
        self.ruleCounts = ruleCounts
        self.elements = elements
        self.setReferences = setReferences
    }

    /// Reads nft's JSON listing; objects of other kinds (metainfo, the table) are ignored.
    public init(json: JSONValue) {
        self.init()
        for item in json["nftables"]?.arrayValue ?? [] {
            if let chain = item["chain"], let name = chain["name"]?.stringValue {
                ruleCounts[name, default: 0] += 0
            } else if let rule = item["rule"], let chain = rule["chain"]?.stringValue {
                ruleCounts[chain, default: 0] += 1
                for name in NftTableState.setNames(in: rule["expr"] ?? .null) { setReferences[name, default: 0] += 1 }
            } else if let set = item["set"], let name = set["name"]?.stringValue {
                // An interval set lists a one-address interval as a bare address.
                let interval = set["flags"]?.arrayValue?.contains { $0.stringValue == "interval" } ?? (set["flags"]?.stringValue == "interval")
                elements[name] = Set((set["elem"]?.arrayValue ?? []).compactMap { NftTableState.spelling($0, interval: interval) })
            }
        }
    }

    /// The sets a rule's expressions consult, each once.
    private static func setNames(in value: JSONValue) -> Set<String> {
        if let text = value.stringValue { return text.hasPrefix("@") ? [String(text.dropFirst())] : [] }
        if let array = value.arrayValue { return array.reduce(into: []) { $0.formUnion(setNames(in: $1)) } }
        if let object = value.objectValue { return object.members.map(\.value).reduce(into: []) { $0.formUnion(setNames(in: $1)) } }
        return []
    }

    /// How many rules of nft's text form consult each set, as `setReferences`.
    public static func setReferences(listing text: String) -> [String: Int] {
        var references: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.contains("@") {
            var names: Set<Substring> = []
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) where word.hasPrefix("@") { names.insert(word.dropFirst()) }
            for name in names { references[String(name), default: 0] += 1 }
        }
        return references
    }

    /// Rule counts per chain from nft's text form, which is also how `NftRuleset` renders a
    /// table: inside `chain NAME {`, every line but the hook declaration is a rule.
    /// Read byte by byte: `up` lists the table on every run, and with 50 networks splitting
    /// the listing as Characters cost ~4 M instructions.
    public static func ruleCounts(listing text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var chain: String?
        let bytes = Array(text.utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.count
            let line = trimmingSpaces(bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if line.starts(with: "chain ".utf8), line.last == UInt8(ascii: "{") {
                let name = String(decoding: trimmingSpaces(line.dropFirst("chain ".utf8.count).dropLast()), as: UTF8.self)
                chain = name
                counts[name, default: 0] += 0
            } else if line.elementsEqual("}".utf8) {
                chain = nil
            } else if let chain, !line.isEmpty, !line.starts(with: "type ".utf8) {
                counts[chain, default: 0] += 1
            }
        }
        return counts
    }

    private static func trimmingSpaces(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return [] }
        return bytes[first...last]
    }

    private static func spelling(_ element: JSONValue, interval: Bool) -> String? {
        if let name = element.stringValue {
            if IPv4Address(name) != nil { return interval ? name + "/32" : name }
            if let address = IPv6Address(name) { return interval ? "\(address)/128" : address.description }
            return "\"\(name)\""
        }
        // A port, and a range of them, in a list's `bridge . … . protocol . port` element.
        if let port = element.intValue { return "\(port)" }
        if let range = element["range"]?.arrayValue, range.count == 2, let first = range[0].intValue, let last = range[1].intValue { return "\(first)-\(last)" }
        if let parts = element["concat"]?.arrayValue {
            let spelled = parts.compactMap { spelling($0, interval: false) }
            return spelled.count == parts.count ? spelled.joined(separator: " . ") : nil
        }
        if let prefix = element["prefix"], let address = prefix["addr"]?.stringValue, let length = prefix["len"]?.intValue {
            return "\(IPv6Address(address)?.description ?? address)/\(length)"
        }
        if let inner = element["elem"]?["val"] { return spelling(inner, interval: interval) }
        return nil
    }
}
