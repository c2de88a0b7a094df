import VmnetCore

/// Where vmnet keeps things, and where the other tools it writes for keep theirs. Each
/// directory can be moved with an environment variable, which is how tests and the selftest
/// keep everything in temporary directories; `Directory` holds every variable and default.
public struct Paths: Sendable {
    /// Every movable directory: its variable (the raw value) and its default.
    public enum Directory: String, Sendable {
        case state = "VMNET_STATE_DIR"
        case run = "VMNET_RUN_DIR"
        case config = "VMNET_CONFIG_DIR"
        case podmanNetworks = "VMNET_PODMAN_DIR"
        case cni = "VMNET_CNI_DIR"
        case cniState = "VMNET_CNI_STATE_DIR"
        case cniPlugins = "VMNET_CNI_PLUGIN_DIR"
        case ociHooks = "VMNET_HOOKS_DIR"
        case libvirtNetworks = "VMNET_LIBVIRT_NETWORKS_DIR"

        public var defaultPath: String {
            switch self {
            case .state: "/var/lib/vmnet"
            case .run: "/run/vmnet"
            case .config: "/etc/vmnet"
            case .podmanNetworks: "/etc/containers/networks"
            case .cni: "/etc/cni/net.d"
            case .cniState: "/var/lib/cni/networks"
            // Last in podman's default cni_plugin_dirs, and where other CNI users look.
            case .cniPlugins: "/opt/cni/bin"
            case .ociHooks: "/etc/containers/oci/hooks.d"
            case .libvirtNetworks: "/etc/libvirt/qemu/networks"
            }
        }

        public func path(in environment: [String: String]) -> String { environment[rawValue] ?? defaultPath }
    }

    public let stateDirectory: String
    public let runDirectory: String
    public let configDirectory: String
    /// The profiles shipped with vmnet (a checkout's profiles/, or share/vmnet/profiles).
    public let builtinProfilesDirectory: String?

    public init(environment: [String: String], executablePath: String) {
        stateDirectory = Directory.state.path(in: environment)
        runDirectory = Directory.run.path(in: environment)
        configDirectory = Directory.config.path(in: environment)
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
