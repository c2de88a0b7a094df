import JSON

/// One invocation of the plugin as the CNI spec defines it: the `CNI_*` environment and the
/// network configuration on standard input, checked before anything is done.
public struct CNIRequest: Hashable, Sendable {
    public var command: CNICommand
    /// The version the caller speaks (the netconf's `cniVersion`); the reply uses it.
    public var cniVersion: String
    public var containerID: String
    /// The container's network namespace (a path); empty on a DEL after the container died.
    public var networkNamespace: String
    public var interfaceName: String
    /// podman passes the container's `--name` as `K8S_POD_NAME` in `CNI_ARGS`.
    public var containerName: String?
    /// Nil for VERSION, which gets only `cniVersion`.
    public var config: CNINetworkConfig?

    public init(environment: [String: String], netconf: String) throws(VmnetError) {
        guard let commandText = environment["CNI_COMMAND"], let command = CNICommand(rawValue: commandText) else {
            throw .invalid("running as a CNI plugin: CNI_COMMAND is '\(environment["CNI_COMMAND"] ?? "")', not ADD, DEL, CHECK or VERSION: container runtimes run this, people run 'vmnet install NAME --cni'")
        }
        self.command = command
        let json: JSONValue
        do { json = try JSONCodec.parse(netconf, source: "the CNI network configuration") } catch {
            throw .invalid("reading the CNI network configuration: \(error)")
        }
        cniVersion = json["cniVersion"]?.stringValue ?? CNINetworkConfig.writtenVersion
        containerID = environment["CNI_CONTAINERID"] ?? ""
        networkNamespace = environment["CNI_NETNS"] ?? ""
        interfaceName = environment["CNI_IFNAME"] ?? ""
        containerName = CNIRequest.arguments(environment["CNI_ARGS"] ?? "")["K8S_POD_NAME"]
        guard command != .version else { config = nil; return }
        config = try CNINetworkConfig(netconf: netconf)
        guard !containerID.isEmpty, containerID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw .invalid("running as a CNI plugin: CNI_CONTAINERID '\(containerID)' is empty or not a container id")
        }
        if command != .delete {
            guard !networkNamespace.isEmpty else { throw .invalid("running as a CNI plugin: CNI_NETNS is empty") }
            guard CNIRequest.isInterfaceName(interfaceName) else {
                throw .invalid("running as a CNI plugin: CNI_IFNAME '\(interfaceName)' is not an interface name (1-15 characters, no '/' or space)")
            }
        }
    }

    /// `CNI_ARGS`: `KEY=VALUE` pairs separated by semicolons.
    static func arguments(_ text: String) -> [String: String] {
        var arguments: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { arguments[String(parts[0])] = String(parts[1]) }
        }
        return arguments
    }

    static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name != "." && name != ".." && !name.contains(where: { $0 == "/" || $0.isWhitespace || $0 == ":" })
    }
}
