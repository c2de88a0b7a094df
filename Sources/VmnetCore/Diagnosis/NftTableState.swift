import JSON

/// What `nft -j list table inet vmnet` shows: each chain's rule count and each set's
/// elements, spelled as `NftRuleset.elements` spells them so the two compare directly.
public struct NftTableState: Equatable, Sendable {
    public var ruleCounts: [String: Int]
    public var elements: [String: Set<String>]

    public init(ruleCounts: [String: Int] = [:], elements: [String: Set<String>] = [:]) {
        self.ruleCounts = ruleCounts
        self.elements = elements
    }

    /// Reads nft's JSON listing; objects of other kinds (metainfo, the table) are ignored.
    public init(json: JSONValue) {
        self.init()
        for item in json["nftables"]?.arrayValue ?? [] {
            if let chain = item["chain"], let name = chain["name"]?.stringValue {
                ruleCounts[name, default: 0] += 0
            } else if let rule = item["rule"], let chain = rule["chain"]?.stringValue {
                ruleCounts[chain, default: 0] += 1
            } else if let set = item["set"], let name = set["name"]?.stringValue {
                // An interval set lists a one-address interval as a bare address.
                let interval = set["flags"]?.arrayValue?.contains { $0.stringValue == "interval" } ?? (set["flags"]?.stringValue == "interval")
                elements[name] = Set((set["elem"]?.arrayValue ?? []).compactMap { NftTableState.spelling($0, interval: interval) })
            }
        }
    }

    /// Rule counts per chain from nft's text form, which is also how `NftRuleset` renders a
    /// table: inside `chain NAME {`, every line but the hook declaration is a rule.
    public static func ruleCounts(listing text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var chain: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingSpaces
            if line.hasPrefix("chain "), line.hasSuffix("{") {
                let name = line.dropFirst("chain ".count).dropLast().trimmingSpaces
                chain = name
                counts[name, default: 0] += 0
            } else if line == "}" {
                chain = nil
            } else if let chain, !line.isEmpty, !line.hasPrefix("type ") {
                counts[chain, default: 0] += 1
            }
        }
        return counts
    }

    private static func spelling(_ element: JSONValue, interval: Bool) -> String? {
        if let name = element.stringValue {
            if IPv4Address(name) != nil { return interval ? name + "/32" : name }
            if let address = IPv6Address(name) { return interval ? "\(address)/128" : address.description }
            return "\"\(name)\""
        }
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

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
