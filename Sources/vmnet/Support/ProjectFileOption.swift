import ArgumentParser
import VmnetCore
import VmnetShell

/// `-f FILE`: the project file `apply`, `plan` and `init` work on (`./vmnet.json` by default).
struct ProjectFileOption: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("The project file.", valueName: "FILE"))
    var file: String = ProjectFile.defaultName

    func load() throws(VmnetError) -> ProjectFile { try ProjectFileLoader.load(file) }

    /// The networks an apply of `file` made; none yet is an error naming how to make them.
    static func ownedNetworks(_ file: String, controller: NetworkController) throws(VmnetError) -> [NetworkName] {
        let owned = try controller.ownedNetworks(try ProjectFileLoader.load(file))
        guard !owned.isEmpty else { throw VmnetError(.notFound, "\(file): no network of it exists: run 'vmnet apply -f \(file)' first") }
        return owned
    }
}
