import ArgumentParser
import JSON
import VmnetCore
import VmnetShell

struct ProfilesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List profiles.")

    @Flag(help: "Print a JSON array of profile objects.")
    var json = false

    func run() throws {
        let profiles = try ProfileCatalog(paths: Context().paths).loadAll()
        if json {
            Output.json(.array(profiles.map { ProfileReport.json($0.profile, file: $0.file) }))
        } else {
            Output.text(ProfileReport.table(profiles))
        }
    }
}
