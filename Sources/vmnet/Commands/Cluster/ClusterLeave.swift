import ArgumentParser

struct ClusterLeave: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave",
        abstract: "Take this host out of its cluster, as it was before join.",
        discussion: "Refused while ports of vmnet networks are bound on this chassis, unless --force.")

    @Flag(help: "Leave even with ports bound here or a database unreachable.")
    var force = false

    func run() throws {
        let config = try Context().cluster().leave(force: force)
        Output.text("left \(config.northbound): chassis '\(config.chassis)' removed")
    }
}
