import VmnetCore

/// Installs the rules of every enabled network that uses this mechanism.
public protocol FirewallBackend: Sendable {
    var kind: FirewallKind { get }
    /// Whether the mechanism's programs are installed.
    var isAvailable: Bool { get }
    /// Replaces all of vmnet's rules of this kind with the rules for `networks`.
    /// `previous`: the networks and bridges the rules were last made for, when they should
    /// exist already (a hint for a cheaper update; a wrong hint costs time, never correctness).
    /// `touched`: the networks this command brings up, whose rules are refreshed in full.
    /// `keepTable`: with no networks left, keep vmnet's (then inert) table so the next `up`
    /// does not pay for building it again; false removes every trace.
    /// `forwards`: the port forwards of `networks`, resolved; `previousForwards`: those the
    /// rules held before (the same kind of hint as `previous`).
    func apply(
        _ networks: [NetworkRecord], allBridges: [String], previous: (networks: [NetworkRecord], bridges: [String])?,
        touched: [NetworkRecord], keepTable: Bool, forwards: [ResolvedForward], previousForwards: [ResolvedForward]) throws(VmnetError)
    /// The bridges whose rules are installed now (to report `degraded`).
    func installedBridges() -> Set<String>
}
