/// The names of the northbound rows and local ports of a cluster network. The network name
/// is unique in the cluster, so every derived name is too; local interface names are hashed
/// into the kernel's 15 characters.
public enum OVNNames {
    public static func logicalSwitch(_ network: NetworkName) -> String { "vmnet-\(network.value)" }
    public static func router(_ network: NetworkName) -> String { "vmnet-\(network.value)" }
    /// The router's port on the network: its address is the network's gateway.
    public static func routerPort(_ network: NetworkName) -> String { "vmnet-\(network.value)-lrp" }
    /// The switch's side of that port (type router).
    public static func switchRouterPort(_ network: NetworkName) -> String { "vmnet-\(network.value)-lrp-ls" }
    /// The router's port on the shared external (transit) switch, NAT networks only.
    public static func externalRouterPort(_ network: NetworkName) -> String { "vmnet-\(network.value)-ext" }
    public static func externalSwitchPort(_ network: NetworkName) -> String { "vmnet-\(network.value)-ext-ls" }
    /// A VM's port (`vmnet host add`), also its libvirt interfaceid.
    public static func guestPort(_ network: NetworkName, host: String) -> String { "vmnet-\(network.value)-\(host)" }
    /// A member host's own port on the network.
    public static func memberPort(_ network: NetworkName, chassis: String) -> String { "vmnet-\(network.value)-host-\(chassis)" }
    /// A container's port (the CNI plugin), from the first 12 characters of its id.
    public static func containerPort(_ network: NetworkName, containerID: String) -> String {
        "vmnet-\(network.value)-c-\(containerID.prefix(12))"
    }

    public static let externalSwitch = "vmnet-external"
    public static let externalLocalnetPort = "vmnet-external-localnet"
    /// The physical network name a gateway maps to its transit bridge (ovn-bridge-mappings).
    public static let externalPhysicalNetwork = "vmnet-external"
    public static let transitBridge = "br-vmnet-ext"
    public static let transitInterface = "vmnet-transit"
    public static let integrationBridge = "br-int"

    /// The kernel interface of a member host's port on a network: `vmh-` and 11 hex digits.
    public static func memberInterface(_ network: NetworkName) -> String { memberInterfacePrefix + hash(network.value) }
    public static let memberInterfacePrefix = "vmh-"
    /// A container's host-side veth: `vmc-` and 11 hex digits of its port name.
    public static func containerInterface(_ port: String) -> String { "vmc-" + hash(port) }

    /// The router port's MAC: stable for the name, locally administered.
    public static func routerMAC(_ network: NetworkName) -> MACAddress { MACAddress.generated(from: "ovn-router:" + network.value) }

    static func hash(_ text: String) -> String {
        let digits = String(FNVHash.hash(text), radix: 16)
        return String((String(repeating: "0", count: max(0, 11 - digits.count)) + digits).suffix(11))
    }
}
