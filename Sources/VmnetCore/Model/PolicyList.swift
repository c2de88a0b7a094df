import JSON

/// The comma-separated form of `host_access` and `egress` lists, shared by `vmnet set`, the
/// project file (which joins its JSON list with commas), profiles and records.
public enum PolicyList {
    /// Far more than a network's policy needs; bounds the rules one value can make.
    public static let maxItems = 64
    public static let maxLength = 2048

    /// The items of `text`, refused when empty, too long or with an empty item.
    public static func items(_ text: String) throws(VmnetError) -> [Substring] {
        guard text.utf8.count <= maxLength else { throw .invalid("'\(shown(text))' is too long (\(text.utf8.count) bytes, at most \(maxLength))") }
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !items.contains(where: \.isEmpty) else { throw .invalid("'\(shown(text))' has an empty item: separate items with single commas") }
        guard items.count <= maxItems else { throw .invalid("'\(shown(text))' has \(items.count) items, at most \(maxItems)") }
        return items
    }

    /// The items of a list, each parsed by `item`, none overlapping another; a problem is
    /// refused naming it and what the key `allowed`.
    public static func parse<Item: CustomStringConvertible>(
        _ text: String, allowed: String, item: (Substring) throws(VmnetError) -> Item, overlap: (Item, Item) -> Bool
    ) throws(VmnetError) -> [Item] {
        do throws(VmnetError) {
            let parsed = try items(text).map { (text) throws(VmnetError) in try item(text) }
            try refuseOverlaps(parsed, overlap)
            return parsed
        } catch {
            throw .invalid("\(error.message): use \(allowed)")
        }
    }

    /// Refuses two items that overlap: nftables refuses such set elements, and one of them
    /// would say nothing.
    static func refuseOverlaps<Item: CustomStringConvertible>(_ items: [Item], _ overlap: (Item, Item) -> Bool) throws(VmnetError) {
        for (index, item) in items.enumerated() {
            if let other = items[(index + 1)...].first(where: { overlap(item, $0) }) {
                throw .invalid("'\(item)' and '\(other)' overlap: merge them into one item")
            }
        }
    }

    /// A list as JSON writes it (a string, or an array of strings and port numbers) in the
    /// comma-joined form; nil for anything else.
    public static func text(_ value: JSONValue) -> String? {
        if let text = value.stringValue { return text }
        guard let array = value.arrayValue, !array.isEmpty else { return nil }
        let items = array.compactMap { $0.stringValue ?? $0.intValue.map(String.init) }
        return items.count == array.count ? items.joined(separator: ",") : nil
    }

    /// A value quoted for a one-line message: escaped (a newline stays on the line) and cut
    /// short (a 10 kB value does not fill the terminal).
    public static func shown(_ text: String) -> String {
        let escaped = String(text.debugDescription.dropFirst().dropLast())
        return escaped.count > 40 ? escaped.prefix(40) + "…" : escaped
    }
}
