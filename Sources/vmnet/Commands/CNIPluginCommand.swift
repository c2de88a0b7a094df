import ArgumentParser
import Glibc
import JSON
import VmnetShell

/// The CNI plugin for cluster networks, as `vmnet cni` or (how podman runs it) through the
/// `vmnet-ovn` link `vmnet install NAME --cni` makes. Hidden: runtimes run it, people do not.
struct CNIPluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cni",
        abstract: "Run as the CNI plugin vmnet-ovn (CNI_COMMAND and the network configuration on standard input).",
        shouldDisplay: false)

    static let linkName = "vmnet-ovn"

    func run() throws {
        CNIPluginCommand.serve()
    }

    /// Answers one CNI request and exits with the plugin's status.
    static func serve() -> Never {
        var netconf = ""
        while let line = readLine(strippingNewline: false) { netconf += line }
        let (output, status) = CNIPlugin.run(environment: ProcessEnvironment.current(), netconf: netconf,
                                             executablePath: ProcessEnvironment.executablePath())
        if !output.isEmpty { Output.text(output) }
        // CNI wants the error object on standard output; a person running it by hand reads this.
        if status != 0, let message = try? JSONCodec.parse(output, source: "cni")["msg"]?.stringValue { Output.note(message) }
        Glibc.exit(status)
    }
}
