import VmnetCore

/// Where vmnet keeps things. Each root can be moved with an environment variable, which is
/// how tests and the selftest keep everything in temporary directories.
public struct Paths: Sendable {
    public let stateDirectory: String
    public let runDirectory: String
    public let configDirectory: String
    /// The profiles shipped with vmnet (a checkout's profiles/, or share/vmnet/profiles).
    public let builtinProfilesDirectory: String?

    public init(environment: [String: String], executablePath: String) {
        stateDirectory = environment["VMNET_STATE_DIR"] ?? "/var/lib/vmnet"
        runDirectory = environment["VMNET_RUN_DIR"] ?? "/run/vmnet"
        configDirectory = environment["VMNET_CONFIG_DIR"] ?? "/etc/vmnet"
        builtinProfilesDirectory = environment["VMNET_PROFILES_DIR"] ?? Paths.findBuiltinProfiles(from: executablePath)
    }

    public var networksDirectory: String { stateDirectory + "/networks" }
    public var lockFile: String { stateDirectory + "/lock" }
    public var userProfilesDirectory: String { configDirectory + "/profiles" }

    public func stateDirectory(of name: NetworkName) -> String { networksDirectory + "/" + name.value }
    public func recordFile(of name: NetworkName) -> String { stateDirectory(of: name) + "/network.json" }
    public func runDirectory(of name: NetworkName) -> String { runDirectory + "/" + name.value }

    public func dnsmasqFiles(of name: NetworkName) -> DnsmasqFiles {
        DnsmasqFiles(runDirectory: runDirectory(of: name), stateDirectory: stateDirectory(of: name))
    }

    /// An installed binary finds ../share/vmnet/profiles; one built in a checkout walks up
    /// from .build/… to the directory holding Package.swift and profiles/.
    static func findBuiltinProfiles(from executablePath: String) -> String? {
        var directory = FileSystem.parent(of: executablePath)
        let installed = FileSystem.parent(of: directory) + "/share/vmnet/profiles"
        if FileSystem.isDirectory(installed) { return installed }
        while directory != "/" && !directory.isEmpty {
            if FileSystem.exists(directory + "/Package.swift") && FileSystem.isDirectory(directory + "/profiles") {
                return directory + "/profiles"
            }
            directory = FileSystem.parent(of: directory)
        }
        return nil
    }
}
