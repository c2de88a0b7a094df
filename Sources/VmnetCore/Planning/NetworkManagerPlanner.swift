/// What vmnet tells NetworkManager, and how doctor reads NetworkManager's answer. vmnet
/// configures its bridges and keeper ports itself; NetworkManager 1.42, left alone, gives a
/// keeper veth a "Wired connection" (DHCP from vmnet's own dnsmasq, a default route through
/// the network) and, when a bridge turns from unmanaged to managed, flushes its addresses.
/// A bridge it once took it lets go only when it restarts: a reload, even `nmcli device set
/// LINK managed no`, leaves it "disconnected" (measured with 1.42.4).
/// The drop-in marks those links unmanaged, the way NetworkManager.conf(5) documents.
public enum NetworkManagerPlanner {
    /// The name of the check in `vmnet doctor`.
    public static let check = "host-networkmanager"
    public static let dropInName = "vmnet.conf"
    /// The state `nmcli device` prints for a link NetworkManager leaves alone.
    public static let unmanaged = "unmanaged"

    /// The drop-in's text. `+=` adds to the host's own unmanaged-devices instead of
    /// replacing them; a bridge named by the user (not `vmn-*`) is listed by name.
    public static func dropIn(for networks: [NetworkRecord]) -> String {
        let named = Set(networks.map(\.bridge).filter { !$0.hasPrefix(BridgeNamer.prefix) }).sorted()
        let specs = ["\(BridgeNamer.prefix)*", "vmp-*", "vmq-*"] + named
        return """
            # Written by vmnet, removed with its last network. vmnet configures its bridges and
            # their keeper ports itself: NetworkManager must not run DHCP on them or flush them.
            [keyfile]
            unmanaged-devices+=\(specs.map { "interface-name:" + $0 }.joined(separator: ";"))

            """
    }

    /// The links of a network NetworkManager must leave alone: its bridge and keeper pair.
    public static func links(of network: NetworkRecord) -> [String] {
        let keeper = BridgeNamer.keeperPort(for: network.bridge)
        return [network.bridge, keeper.port, keeper.peer]
    }

    public static let deviceQuery = ["nmcli", "-t", "-f", "DEVICE,STATE", "device"]

    /// `nmcli -t -f DEVICE,STATE device` as device → state ("vmn-web:unmanaged"). Interface
    /// names cannot hold ':', so the first one ends the name.
    public static func deviceStates(_ output: String) -> [String: String] {
        var states: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            states[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return states
    }

    /// Passes when every link of the network is unmanaged (or unknown to NetworkManager).
    public static func finding(_ network: NetworkRecord, deviceOutput: String, dropIn: String) -> DoctorFinding {
        let states = deviceStates(deviceOutput)
        let managed = links(of: network).compactMap { link in states[link].flatMap { $0 == unmanaged ? nil : "\(link) (\($0))" } }
        guard managed.isEmpty else {
            return DoctorFinding(
                network: network.name.value, check: check, status: .fail,
                detail: "NetworkManager manages \(managed.joined(separator: ", ")): it may run DHCP on them or flush their addresses",
                fix: "vmnet up \(network.name) (rewrites \(dropIn) and reloads NetworkManager), then restart NetworkManager if a bridge stays managed")
        }
        return .ok(network.name.value, check, "NetworkManager leaves \(network.bridge) and its keeper port unmanaged")
    }
}
