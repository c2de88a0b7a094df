/// What the shell saw when it found a journal: the readable records, the names of the
/// unreadable ones, and what is on the host that vmnet may have made.
public struct RecoveryObservation: Hashable, Sendable {
    public var records: [NetworkRecord]
    public var brokenNetworks: Set<NetworkName>
    public var interfaces: Set<String>
    /// The names of the directories under the state directory's networks/ and under the run directory.
    public var stateDirectories: Set<String>
    public var runDirectories: Set<String>
    /// State directories that hold no file at all.
    public var emptyStateDirectories: Set<String>
    /// Leftover temporary files of atomic writes (`.NAME.PID.tmp`), as full paths.
    public var temporaryFiles: [String]
    /// The bridges each firewall mechanism's tables name.
    public var firewallBridges: [FirewallKind: Set<String>]
    /// Running dnsmasq processes whose command line names a configuration in vmnet's run
    /// directory, by pid: the network each serves (found even when its pid file is gone).
    public var dnsmasqProcesses: [Int32: String]
    /// The pid each network's pid file names.
    public var dnsmasqPidFiles: [String: Int32]

    public init(records: [NetworkRecord], brokenNetworks: Set<NetworkName> = [], interfaces: Set<String>,
                stateDirectories: Set<String> = [], runDirectories: Set<String> = [], emptyStateDirectories: Set<String> = [],
                temporaryFiles: [String] = [], firewallBridges: [FirewallKind: Set<String>] = [:], dnsmasqProcesses: [Int32: String] = [:], dnsmasqPidFiles: [String: Int32] = [:]) {
        self.records = records
        self.brokenNetworks = brokenNetworks
        self.interfaces = interfaces
        self.stateDirectories = stateDirectories
        self.runDirectories = runDirectories
        self.emptyStateDirectories = emptyStateDirectories
        self.temporaryFiles = temporaryFiles
        self.firewallBridges = firewallBridges
        self.dnsmasqProcesses = dnsmasqProcesses
        self.dnsmasqPidFiles = dnsmasqPidFiles
    }
}
