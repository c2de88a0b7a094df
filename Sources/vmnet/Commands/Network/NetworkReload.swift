import ArgumentParser

struct NetworkReload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Rewrite the host lists and have dnsmasq re-read them (SIGHUP), as the original script's reload.")

    @OptionGroup var selection: NetworkNames

    func run() throws {
        for record in try Context().controller.reload(try selection.selection()) { Output.text("reloaded: \(record.name)") }
    }
}
