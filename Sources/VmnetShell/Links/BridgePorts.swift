import Glibc
import VmnetCore

/// A bridge's ports and an interface's master, read from sysfs (which shows the network
/// namespace it was mounted in: `ip netns exec` remounts it for the namespace).
public enum BridgePorts {
    /// The bridge's ports other than its keeper port, or nil when the bridge does not exist.
    public static func guests(of bridge: String) -> [String]? {
        guard FileSystem.isDirectory("/sys/class/net/\(bridge)/brif") else { return nil }
        return PortPlanner.guestPorts(FileSystem.list("/sys/class/net/\(bridge)/brif"), bridge: bridge)
    }

    /// Which of `names` exist, and the master of those that have one.
    public static func observe(_ names: [String]) -> (interfaces: Set<String>, masters: [String: String]) {
        var interfaces: Set<String> = []
        var masters: [String: String] = [:]
        for name in names where FileSystem.exists("/sys/class/net/\(name)") {
            interfaces.insert(name)
            if let master = FileSystem.readLink("/sys/class/net/\(name)/master") { masters[name] = FileSystem.baseName(master) }
        }
        return (interfaces, masters)
    }
}
