import ArgumentParser
import VmnetCore

/// Positional network names, or `--all`, for commands that act on several networks.
struct NetworkNames: ParsableArguments {
    @Argument(help: "Networks to act on.")
    var names: [String] = []

    @Flag(help: "Act on every network vmnet knows (up: those whose autostart is on).")
    var all = false

    func validate() throws {
        if all && !names.isEmpty { throw ValidationError("give network names or --all, not both") }
        if !all && names.isEmpty { throw ValidationError("name at least one network, or use --all") }
    }

    /// The names, or nil for all networks.
    func selection() throws(VmnetError) -> [NetworkName]? {
        guard !all else { return nil }
        return try names.map { (name) throws(VmnetError) in try NetworkName(name) }
    }
}
