/// What was seen of one network's parts on the host, for `NetworkDiagnosis`.
public struct NetworkObservation: Sendable {
    public var bridgePresent: Bool
    /// IFF_UP: set up by an administrator (carrier is another matter).
    public var bridgeUp: Bool
    /// The bridge's ports (/sys/class/net/BRIDGE/brif).
    public var ports: [String]
    /// The pid in the pid file, and whether that process is this network's dnsmasq.
    public var pidFilePid: Int32?
    public var dnsmasqRunning: Bool
    /// Each file dnsmasq re-reads on SIGHUP, with every directory above it (outermost
    /// first); nil for a path that does not exist.
    public var hostListPaths: [[FileAccess?]]
    /// Installed runtime files: what, where, and whether it is still there.
    public var runtimeFiles: [(kind: RuntimeKind, path: String, present: Bool)]
    /// Why the record of installed runtimes could not be read, when it could not.
    public var runtimesProblem: String?
    /// Whether the bridge carries its IPv6 link-local address (dnsmasq's router advertisements
    /// come from it; a bridge set down and up loses it whatever keep_addr_on_down says); nil
    /// when not looked at (no IPv6, or `list`).
    public var linkLocal6Present: Bool?

    public init(
        bridgePresent: Bool = true, bridgeUp: Bool = true, ports: [String] = [], pidFilePid: Int32? = nil, dnsmasqRunning: Bool = true,
        hostListPaths: [[FileAccess?]] = [], runtimeFiles: [(kind: RuntimeKind, path: String, present: Bool)] = [],
        runtimesProblem: String? = nil, linkLocal6Present: Bool? = nil
    ) {
        self.bridgePresent = bridgePresent
        self.bridgeUp = bridgeUp
        self.ports = ports
        self.pidFilePid = pidFilePid
        self.dnsmasqRunning = dnsmasqRunning
        self.hostListPaths = hostListPaths
        self.runtimeFiles = runtimeFiles
        self.runtimesProblem = runtimesProblem
        self.linkLocal6Present = linkLocal6Present
    }
}
