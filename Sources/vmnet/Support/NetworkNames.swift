import ArgumentParser
import VmnetCore
import VmnetShell

/// Positional network names, `--all`, or `-f FILE` (the networks an apply of that project
/// file made), for commands that act on several networks.
struct NetworkNames: ParsableArguments {
    @Argument(help: "Networks to act on.")
    var names: [String] = []

    @Flag(help: "Act on every network vmnet knows (up: those whose autostart is on).")
    var all = false

    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("Act on the networks 'vmnet apply' made from this project file.", valueName: "FILE"))
    var file: String?

    func validate() throws {
        let given = [!names.isEmpty, all, file != nil].filter { $0 }.count
        if given > 1 { throw ValidationError("give network names, --all or -f FILE, only one of them") }
        if given == 0 { throw ValidationError("name at least one network, or use --all or -f FILE") }
    }

    /// The names, or nil for all networks.
    func selection(_ controller: NetworkController) throws(VmnetError) -> [NetworkName]? {
        if let file { return try ProjectFileOption.ownedNetworks(file, controller: controller) }
        guard !all else { return nil }
        return try names.map { (name) throws(VmnetError) in try NetworkName(name) }
    }
}
