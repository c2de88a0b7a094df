/// A network's name: `[a-z0-9][a-z0-9-]*`, at most 32 characters. It becomes part of a DNS
/// domain, a file name and (shortened) an interface name, so nothing else is allowed.
public struct NetworkName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maximumLength = 32
    public let value: String

    public init(_ text: String) throws(VmnetError) {
        if let problem = NetworkName.problem(with: text, what: "network name") {
            throw .invalid(problem)
        }
        value = text
    }

    /// Why `text` is not a valid name of the kind `what`, or nil. Shared with profile and host names.
    public static func problem(with text: String, what: String, maximumLength: Int = NetworkName.maximumLength) -> String? {
        let allowed = { (c: Character) in ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-" }
        if text.isEmpty { return "\(what) is empty: use lower-case letters, digits and '-'" }
        if text.count > maximumLength {
            return "\(what) '\(text)' is \(text.count) characters long: use at most \(maximumLength)"
        }
        if !text.allSatisfy(allowed) || text.first == "-" {
            return "\(what) '\(text)' is not valid: use lower-case letters, digits and '-', starting with a letter or digit"
        }
        return nil
    }

    public var description: String { value }
    public static func < (lhs: NetworkName, rhs: NetworkName) -> Bool { lhs.value < rhs.value }
}
