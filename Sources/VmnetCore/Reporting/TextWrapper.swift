/// Word wrapping for text meant for a terminal: lines never exceed `width` columns, breaking
/// at whitespace (a newline or tab in the text is a space too, or it would escape the indent);
/// a word longer than a line (a path, a chain list without spaces) is cut.
public enum TextWrapper {
    /// `text` as lines of at most `width` characters, the first starting with `first`, the
    /// others with `rest` (a hanging indent).
    public static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(whereSeparator: \.isWhitespace) {
            var word = Substring(word)
            while !word.isEmpty {
                let room = width - line.count - (lineHasWord ? 1 : 0)
                if word.count <= room {
                    line += (lineHasWord ? " " : "") + word
                    lineHasWord = true
                    word = ""
                } else if lineHasWord {
                    lines.append(line)
                    line = rest
                    lineHasWord = false
                } else {
                    // Alone on its line and still too long: cut it, after a comma when there is one.
                    let fits = word.prefix(max(room, 1))
                    let cut = fits.lastIndex(of: ",").map { fits.distance(from: fits.startIndex, to: $0) + 1 } ?? fits.count
                    lines.append(line + word.prefix(cut))
                    word = word.dropFirst(cut)
                    line = rest
                }
            }
        }
        if lineHasWord || lines.isEmpty { lines.append(line) }
        return lines
    }
}
