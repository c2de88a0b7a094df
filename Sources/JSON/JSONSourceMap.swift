/// Finds where a key stands in a JSON text, so configuration errors can name a line.
/// libjansson reports positions only for syntax errors; for a key that parsed fine we
/// look for its first quoted occurrence followed by a colon.
public struct JSONSourceMap: Sendable {
    private let lines: [Substring]

    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line of the first `"key":` after `afterLine`, or nil.
    public func line(ofKey key: String, afterLine: Int = 0) -> Int? {
        let needle = "\"\(key)\""
        for (index, line) in lines.enumerated() where index + 1 > afterLine {
            var rest = line[...]
            while let range = rest.firstRange(of: needle) {
                let after = rest[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" })
                if after.first == ":" || after.isEmpty { return index + 1 }
                rest = rest[range.upperBound...]
            }
        }
        return nil
    }
}
