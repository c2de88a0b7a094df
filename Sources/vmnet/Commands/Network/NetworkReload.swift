import ArgumentParser

struct NetworkReload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Rewrite the host lists and have dnsmasq re-read them (SIGHUP), as the original script's reload.")

    @OptionGroup var selection: NetworkNames

    func run() throws {
        let context = Context()
        for record in try context.controller.reload(try selection.selection(context.controller)) { Output.text("reloaded: \(record.name)") }
    }
}
