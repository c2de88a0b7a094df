import VmnetCore

/// The profiles vmnet can create networks from: the shipped ones, overridden by files of
/// the same name in $VMNET_CONFIG_DIR/profiles.
public struct ProfileCatalog: Sendable {
    public static let defaultProfile = "nat"
    public let paths: Paths

    public init(paths: Paths) { self.paths = paths }

    public var directories: [String] {
        [paths.builtinProfilesDirectory, paths.userProfilesDirectory].compactMap { $0 }
    }

    /// Profile name → the file that defines it (a user file wins over a shipped one).
    public func files() -> [String: String] {
        var files: [String: String] = [:]
        for directory in directories {
            for entry in FileSystem.list(directory) where entry.hasSuffix(".json") {
                files[String(entry.dropLast(5))] = directory + "/" + entry
            }
        }
        return files
    }

    public func load(_ name: String) throws(VmnetError) -> (profile: Profile, file: String) {
        try load(name, from: files())
    }

    public func loadAll() throws(VmnetError) -> [(profile: Profile, file: String)] {
        let files = files()
        var profiles: [(profile: Profile, file: String)] = []
        for name in files.keys.sorted() { profiles.append(try load(name, from: files)) }
        return profiles
    }

    private func load(_ name: String, from files: [String: String]) throws(VmnetError) -> (profile: Profile, file: String) {
        if let problem = NetworkName.problem(with: name, what: "profile name") { throw .invalid(problem) }
        guard let file = files[name] else {
            let known = files.keys.sorted().joined(separator: ", ")
            throw .notFound("profile '\(name)' not found (known: \(known.isEmpty ? "none" : known)); add \(paths.userProfilesDirectory)/\(name).json to define it")
        }
        let text = try FileSystem.read(file)
        do {
            return (try ProfileParser.parse(name: name, file: file, text: text), file)
        } catch {
            throw .invalid("profile \(error)")
        }
    }
}
