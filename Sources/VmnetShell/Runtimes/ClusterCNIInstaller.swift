import Glibc
import VmnetCore

/// `vmnet install NAME --cni` for a cluster network: a conflist whose one plugin is
/// `vmnet-ovn`, and that name in the CNI plugin directory as a link to this vmnet binary.
/// The conflist itself is the record of what was installed (no state file: a cluster network
/// has no local state directory); `uninstall` removes only a conflist vmnet wrote for it, and
/// the link once no such conflist is left.
public struct ClusterCNIInstaller: Sendable {
    public let cniDirectory: String
    public let pluginDirectory: String
    public let executable: String

    public init(environment: [String: String], executable: String = ProcessEnvironment.executablePath()) {
        cniDirectory = Paths.Directory.cni.path(in: environment)
        pluginDirectory = Paths.Directory.cniPlugins.path(in: environment)
        self.executable = executable
    }

    public func conflistFile(_ name: NetworkName) -> String { cniDirectory + "/\(name).conflist" }
    public var pluginLink: String { pluginDirectory + "/" + CNINetworkConfig.pluginType }

    public func install(_ config: CNINetworkConfig) throws(VmnetError) -> [String] {
        let file = conflistFile(config.network)
        if let text = FileSystem.readIfPresent(file), !CNINetworkConfig.isOurs(text, network: config.network) {
            throw .conflict("\(file) exists and was not written by vmnet for '\(config.network)': remove or rename it first")
        }
        let linked = try link()
        try FileSystem.makeDirectories(cniDirectory)
        try FileSystem.writeAtomically(config.conflist, to: file)
        return [
            "cni: wrote \(file); \(linked)",
            "cni: podman's CNI backend (network_backend = \"cni\") attaches containers with 'podman run --network \(config.network) …' on any member",
        ]
    }

    public func uninstall(_ name: NetworkName) -> [String] {
        let file = conflistFile(name)
        guard let text = FileSystem.readIfPresent(file) else { return [] }
        guard CNINetworkConfig.isOurs(text, network: name) else { return ["cni: left \(file) alone: vmnet did not write it"] }
        FileSystem.remove(file)
        var lines = ["cni: removed \(file)"]
        let stillNeeded = FileSystem.list(cniDirectory).contains { entry in
            guard entry.hasSuffix(".conflist"), let other = try? NetworkName(String(entry.dropLast(".conflist".count))),
                  let text = FileSystem.readIfPresent(cniDirectory + "/" + entry) else { return false }
            return CNINetworkConfig.isOurs(text, network: other)
        }
        if !stillNeeded, FileSystem.readLink(pluginLink) != nil {
            FileSystem.remove(pluginLink)
            lines.append("cni: removed \(pluginLink); no cluster network's conflist needs it")
        }
        return lines
    }

    /// Points the plugin name at this binary (replacing a link, never a file someone put there).
    private func link() throws(VmnetError) -> String {
        if FileSystem.exists(pluginLink) || FileSystem.readLink(pluginLink) != nil {
            guard let target = FileSystem.readLink(pluginLink) else {
                throw .conflict("\(pluginLink) exists and is not vmnet's link: remove or rename it first")
            }
            if target == executable { return "\(pluginLink) already links to \(executable)" }
        }
        try FileSystem.makeDirectories(pluginDirectory)
        let temporary = pluginLink + ".vmnet-new"
        unlink(temporary)
        guard symlink(executable, temporary) == 0, rename(temporary, pluginLink) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .failed("linking \(pluginLink) to \(executable): \(reason): check that \(pluginDirectory) is writable")
        }
        return "linked \(pluginLink) to \(executable)"
    }
}
