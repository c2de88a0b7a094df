import ArgumentParser
import Glibc
import VmnetCore
import VmnetShell

/// Runs a command and turns every failure into one line on standard error and an exit
/// status that says what kind of failure it was.
@main
enum VmnetMain {
    static func main() {
        if CommandLine.arguments.first.map(FileSystem.baseName) == CNIPluginCommand.linkName { CNIPluginCommand.serve() }
        do {
            var command = try VmnetCommand.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            // A documented status that is no failure (plan's "changes pending").
            exit(code.rawValue)
        } catch let error as VmnetError {
            fail(error.message, status: error.exitStatus)
        } catch {
            if VmnetCommand.exitCode(for: error) == .success { VmnetCommand.exit(withError: error) }
            let message = VmnetCommand.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
            fail("\(message) (see 'vmnet help')", status: VmnetError.Code.invalidInput.rawValue)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        StandardError.write("vmnet: \(message)\n")
        exit(status)
    }
}
