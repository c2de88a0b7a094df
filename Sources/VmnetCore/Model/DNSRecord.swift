/// One extra DNS record of a network, written `NAME TYPE VALUE`. Names (and the targets of
/// CNAME, SRV and MX) are relative to the network's domain unless they end with a dot.
/// Validated strictly on the way in: nothing that reaches dnsmasq's configuration can carry
/// a newline, comma, `=` or `#`.
public struct DNSRecord: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let type: DNSRecordType
    public let value: String

    public init(name: String, type: DNSRecordType, value: String) throws(VmnetError) {
        func refuse(_ problem: String) -> VmnetError {
            .invalid("DNS record \("\(name) \(type.rawValue) \(value)".debugDescription): \(problem)")
        }
        guard DNSRecord.isName(name, service: type == .srv) else {
            throw refuse("\(name.debugDescription) is not a DNS name (labels of letters, digits and '-', at most 63 characters each\(type == .srv ? ", starting _service._proto" : ""))")
        }
        let words = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        func number(_ word: String, _ what: String) throws(VmnetError) {
            guard !word.isEmpty, word.utf8.count <= 5, word.allSatisfy(\.isASCII), word.allSatisfy(\.isNumber), let n = Int(word), n <= 65535 else {
                throw refuse("\(word.debugDescription) is not a \(what) (0 to 65535)")
            }
        }
        func target(_ word: String) throws(VmnetError) {
            guard DNSRecord.isName(word, service: false) else { throw refuse("\(word.debugDescription) is not a DNS name") }
        }
        switch type {
        case .a:
            guard IPv4Address(value) != nil else { throw refuse("expected \(type.valueForm)") }
        case .aaaa:
            guard IPv6Address(value) != nil else { throw refuse("expected \(type.valueForm)") }
        case .cname:
            try target(value)
        case .srv:
            guard words.count == 4 else { throw refuse("expected \(type.valueForm)") }
            try number(words[0], "priority")
            try number(words[1], "weight")
            try number(words[2], "port")
            try target(words[3])
        case .mx:
            guard words.count == 2 else { throw refuse("expected \(type.valueForm)") }
            try number(words[0], "preference")
            try target(words[1])
        case .txt:
            guard (1...255).contains(value.utf8.count),
                value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && !",\"'\\#".unicodeScalars.contains($0) })
            else { throw refuse("expected \(type.valueForm)") }
        }
        self.name = name
        self.type = type
        self.value = value
    }

    /// Parses `NAME TYPE VALUE` (the value may hold spaces: SRV, MX, TXT).
    public init(_ text: String) throws(VmnetError) {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard words.count == 3 else {
            throw .invalid("DNS record \(text.debugDescription): expected NAME TYPE VALUE with TYPE one of \(DNSRecordType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let type = DNSRecordType(rawValue: words[1].uppercased()) else {
            throw .invalid("DNS record \(text.debugDescription): \(words[1].debugDescription) is not a type: use one of \(DNSRecordType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try self.init(name: words[0], type: type, value: words[2])
    }

    public var description: String { "\(name) \(type.rawValue) \(value)" }

    /// `name` as dnsmasq takes it: relative names under `domain`, absolute ones without their dot.
    public static func qualified(_ name: String, in domain: String) -> String {
        name.hasSuffix(".") ? String(name.dropLast()) : "\(name).\(domain)"
    }

    /// Labels of letters, digits, '-' (and '_' where services need it), 1 to 63 characters
    /// each, 253 in all; a trailing dot makes the name absolute.
    static func isName(_ name: String, service: Bool) -> Bool {
        let body = name.hasSuffix(".") ? name.dropLast() : Substring(name)
        guard !body.isEmpty, body.utf8.count <= 253 else { return false }
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        if service, labels.count < 2 || !labels[0].hasPrefix("_") || !labels[1].hasPrefix("_") { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && !label.hasPrefix("-")
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        }
    }

    /// A search domain: a DNS name, relative or absolute, without underscores' services.
    public static func isDomain(_ name: String) -> Bool { isName(name, service: false) }
}
