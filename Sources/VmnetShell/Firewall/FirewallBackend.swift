import VmnetCore

/// Installs the rules of every enabled network that uses this mechanism.
public protocol FirewallBackend: Sendable {
    var kind: FirewallKind { get }
    /// Whether the mechanism's programs are installed.
    var isAvailable: Bool { get }
    /// Replaces all of vmnet's rules of this kind with the rules for `change.networks`.
    func apply(_ change: FirewallChange) throws(VmnetError)
    /// The bridges whose rules are installed now (to report `degraded`).
    func installedBridges() -> Set<String>
}
