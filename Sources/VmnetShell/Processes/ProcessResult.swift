/// What a finished program left: its exit status and its output.
public struct ProcessResult: Sendable {
    public let arguments: [String]
    public let status: Int32
    public let standardOutput: String
    public let standardError: String

    public var succeeded: Bool { status == 0 }

    /// The first line of standard error, or the status: what an error message quotes.
    public var failureSummary: String {
        let line = standardError.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.isEmpty ? "exit status \(status)" : line
    }
}
