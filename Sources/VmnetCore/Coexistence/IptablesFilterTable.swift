/// The `filter` table as `iptables-save -t filter` prints it (the nft and legacy backends
/// print the same form): each chain's policy and its rules, in order. A rule keeps its line
/// so it can be deleted by the same spec, and its words (quotes removed) for comparison.
public struct IptablesFilterTable: Equatable, Sendable {
    public struct Rule: Equatable, Sendable {
        /// The line as saved, starting with `-A CHAIN`.
        public let line: String
        public let chain: String
        /// The words after `-A CHAIN`, unquoted.
        public let spec: [String]

        public var target: String? { value(after: "-j") }
        public var comment: String? { value(after: "--comment") }

        /// True for a rule vmnet added to coexist (its comment starts with "vmnet").
        public var isVmnets: Bool { comment.map { $0 == "vmnet" || $0.hasPrefix("vmnet:") } ?? false }

        /// True when the rule matches only packets entering or leaving one of `interfaces`:
        /// an `-i` or `-o` naming one of them exactly (neither negated nor a `+` wildcard).
        public func onlyMatches(_ interfaces: Set<String>) -> Bool {
            guard !interfaces.isEmpty else { return false }
            return spec.indices.contains { index in
                ["-i", "-o", "--in-interface", "--out-interface"].contains(spec[index]) && index + 1 < spec.count
                    && (index == 0 || spec[index - 1] != "!") && interfaces.contains(spec[index + 1])
            }
        }

        func value(after flag: String) -> String? {
            guard let index = spec.firstIndex(of: flag), index + 1 < spec.count else { return nil }
            return spec[index + 1]
        }
    }

    /// Chain names in the order declared, with the policy of built-in chains ("-" for user chains).
    public let policies: [String: String]
    public let chains: [String]
    public let rules: [Rule]

    public static let empty = IptablesFilterTable(policies: [:], chains: [], rules: [])

    public init(policies: [String: String], chains: [String], rules: [Rule]) {
        self.policies = policies
        self.chains = chains
        self.rules = rules
    }

    public func rules(of chain: String) -> [Rule] { rules.filter { $0.chain == chain } }
    public func has(_ chain: String) -> Bool { policies[chain] != nil }

    /// Reads the `*filter` section of `iptables-save` output; other tables are skipped.
    /// An empty text (no filter table loaded) is an empty table.
    public static func parse(_ text: String) throws(VmnetError) -> IptablesFilterTable {
        var inFilter = false
        var policies: [String: String] = [:]
        var chains: [String] = []
        var rules: [Rule] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = String(raw)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("*") { inFilter = line == "*filter"; continue }
            guard inFilter else { continue }
            if line == "COMMIT" { inFilter = false; continue }
            if line.hasPrefix(":") {
                let words = line.dropFirst().split(separator: " ")
                guard words.count >= 2 else { throw .failed("reading iptables-save: bad chain line '\(line)'") }
                policies[String(words[0])] = String(words[1])
                chains.append(String(words[0]))
                continue
            }
            let words = try split(line)
            guard words.count >= 2, words[0] == "-A" else { throw .failed("reading iptables-save: unexpected line '\(line)'") }
            rules.append(Rule(line: line, chain: words[1], spec: Array(words.dropFirst(2))))
        }
        return IptablesFilterTable(policies: policies, chains: chains, rules: rules)
    }

    /// Splits a saved rule into words; `"…"` quotes a word (with `\"` inside).
    public static func split(_ line: String) throws(VmnetError) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var inWord = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false } else { current.append(character) }
                continue
            }
            if character == "\"" { quoted = true; inWord = true; continue }
            if character == " " || character == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(character)
            inWord = true
        }
        if quoted { throw .failed("reading iptables-save: unterminated quote in '\(line)'") }
        if inWord { words.append(current) }
        return words
    }
}
