import VmnetCore

/// Runs external programs with argument arrays (never a shell string).
public protocol CommandRunner: Sendable {
    func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult
    /// Starts the commands and returns at once; `wait` collects their results in order.
    func start(_ commands: [[String]]) throws(VmnetError) -> RunningCommands
}

/// Commands started by `CommandRunner.start`, to be waited for once.
public struct RunningCommands: Sendable {
    let wait: @Sendable () -> [ProcessResult]

    public init(wait: @escaping @Sendable () -> [ProcessResult]) { self.wait = wait }

    public func results() -> [ProcessResult] { wait() }
}

extension CommandRunner {
    /// Runs the commands one after the other; runners that can overlap them do.
    public func start(_ commands: [[String]]) throws(VmnetError) -> RunningCommands {
        var results: [ProcessResult] = []
        for command in commands { results.append(try run(command)) }
        let finished = results
        return RunningCommands { finished }
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
