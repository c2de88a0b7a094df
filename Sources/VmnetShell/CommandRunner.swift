import VmnetCore

/// Runs external programs with argument arrays (never a shell string).
public protocol CommandRunner: Sendable {
    func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult
    /// Runs the commands at the same time and returns their results in order.
    func runConcurrently(_ commands: [[String]]) throws(VmnetError) -> [ProcessResult]
}

extension CommandRunner {
    public func runConcurrently(_ commands: [[String]]) throws(VmnetError) -> [ProcessResult] {
        var results: [ProcessResult] = []
        for command in commands { results.append(try run(command)) }
        return results
    }

    public func run(_ arguments: [String]) throws(VmnetError) -> ProcessResult {
        try run(arguments, input: nil)
    }

    /// Runs and turns a non-zero exit into an error that says what was being done.
    @discardableResult
    public func check(_ arguments: [String], input: String? = nil, doing: String) throws(VmnetError) -> ProcessResult {
        let result = try run(arguments, input: input)
        guard result.succeeded else { throw .failed("\(doing): \(arguments[0]): \(result.failureSummary)") }
        return result
    }
}
