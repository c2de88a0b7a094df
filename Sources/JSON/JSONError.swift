/// A document that is not valid JSON, located as `source:line:column`.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    public let line: Int
    public let column: Int
    public let reason: String

    public var description: String { "\(source):\(line):\(column): \(reason)" }
}
