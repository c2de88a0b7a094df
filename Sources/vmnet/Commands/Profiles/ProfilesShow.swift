import ArgumentParser
import JSON
import VmnetCore
import VmnetShell

struct ProfilesShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one profile with every default filled in, as JSON.")

    @Argument(help: "Profile name.")
    var name: String

    func run() throws {
        let (profile, file) = try ProfileCatalog(paths: Context().paths).load(name)
        Output.json(ProfileReport.json(profile, file: file))
    }
}
