import JSON

/// The plugin entry of the conflist `vmnet install NAME --cni` writes for a cluster network,
/// and what the plugin reads back from its standard input. It carries where the installing
/// vmnet keeps its state and configuration and where the local Open vSwitch database is,
/// because podman runs plugins with its own environment, not vmnet's.
public struct CNINetworkConfig: Hashable, Sendable {
    public var cniVersion: String
    public var network: NetworkName
    public var stateDirectory: String
    public var configDirectory: String
    /// The local Open vSwitch database (`unix:…/db.sock`).
    public var localSwitch: String

    public init(cniVersion: String = CNINetworkConfig.writtenVersion, network: NetworkName, stateDirectory: String,
                configDirectory: String, localSwitch: String) {
        self.cniVersion = cniVersion
        self.network = network
        self.stateDirectory = stateDirectory
        self.configDirectory = configDirectory
        self.localSwitch = localSwitch
    }

    /// The plugin's type: the name podman looks up in its plugin directories.
    public static let pluginType = "vmnet-ovn"
    /// podman 4.3's libcni speaks 1.0.0; the plugin also answers 0.3.x/0.4.0 callers.
    public static let writtenVersion = "1.0.0"
    public static let supportedVersions = ["0.3.0", "0.3.1", "0.4.0", "1.0.0"]

    public enum Key {
        public static let network = "network"
        public static let stateDirectory = "stateDir"
        public static let configDirectory = "configDir"
        public static let localSwitch = "ovsdb"
    }

    /// The whole conflist file.
    public var conflist: String {
        let plugin: JSONObject = [
            "type": .string(CNINetworkConfig.pluginType),
            Key.network: .string(network.value),
            Key.stateDirectory: .string(stateDirectory),
            Key.configDirectory: .string(configDirectory),
            Key.localSwitch: .string(localSwitch),
        ]
        let list: JSONObject = ["cniVersion": .string(cniVersion), "name": .string(network.value), "plugins": [.object(plugin)]]
        return JSONCodec.serialize(.object(list))
    }

    /// Whether a conflist's text is one vmnet wrote for a cluster network (the marker
    /// `install` and `uninstall` use before overwriting or removing a file).
    public static func isOurs(_ text: String, network: NetworkName) -> Bool {
        guard let json = try? JSONCodec.parse(text, source: "conflist"), let plugins = json["plugins"]?.arrayValue else { return false }
        return plugins.contains { $0["type"]?.stringValue == pluginType && $0[Key.network]?.stringValue == network.value }
    }

    /// Reads the plugin's netconf (standard input).
    public init(netconf text: String) throws(VmnetError) {
        let json: JSONValue
        do { json = try JSONCodec.parse(text, source: "the CNI network configuration") } catch {
            throw .invalid("reading the CNI network configuration: \(error)")
        }
        func string(_ key: String) throws(VmnetError) -> String {
            guard let value = json[key]?.stringValue, !value.isEmpty else {
                throw .invalid("reading the CNI network configuration: \(key): missing or not a string: reinstall it with 'vmnet install NAME --cni'")
            }
            return value
        }
        let version = try string("cniVersion")
        guard CNINetworkConfig.supportedVersions.contains(version) else {
            throw .invalid("reading the CNI network configuration: cniVersion \(version) is not supported (supported: \(CNINetworkConfig.supportedVersions.joined(separator: ", ")))")
        }
        let network = try NetworkName(try string(Key.network))
        self.init(cniVersion: version, network: network, stateDirectory: try string(Key.stateDirectory),
                  configDirectory: try string(Key.configDirectory), localSwitch: try string(Key.localSwitch))
    }
}
