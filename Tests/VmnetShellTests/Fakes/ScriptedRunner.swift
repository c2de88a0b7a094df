@testable import VmnetShell
import VmnetCore

/// Records every command with its input and answers it from a script: the last answer whose
/// arguments start like the command's. An unscripted command fails, as a missing program would.
final class ScriptedRunner: CommandRunner, @unchecked Sendable {
    private(set) var commands: [(arguments: [String], input: String?)] = []
    private var answers: [(prefix: [String], status: Int32, output: String)] = []

    /// Answers commands starting with `prefix`.
    func answer(_ prefix: [String], status: Int32 = 0, output: String = "") { answers.append((prefix, status, output)) }

    var arguments: [[String]] { commands.map(\.arguments) }

    func input(of prefix: [String]) -> String? { commands.last { $0.arguments.starts(with: prefix) }?.input ?? nil }

    func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult {
        commands.append((arguments, input))
        guard let answer = answers.last(where: { arguments.starts(with: $0.prefix) }) else {
            return ProcessResult(arguments: arguments, status: 1, standardOutput: "", standardError: "not on this fake host")
        }
        return ProcessResult(arguments: arguments, status: answer.status, standardOutput: answer.output, standardError: "")
    }
}
