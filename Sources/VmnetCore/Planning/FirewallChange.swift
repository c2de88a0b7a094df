/// What one firewall mechanism must do for a command: the rules it holds afterwards, and what
/// it holds now as a hint for a cheaper update (a wrong hint costs time, never correctness).
public struct FirewallChange: Hashable, Sendable {
    public var kind: FirewallKind
    /// The enabled networks that use this mechanism: its rules are replaced by theirs.
    public var networks: [NetworkRecord]
    /// Every enabled network's bridge, of any mechanism: each network is kept apart from all.
    public var allBridges: [String]
    /// The networks the rules were last made for, when they should exist already; nil: build
    /// them anew.
    public var previous: [NetworkRecord]?
    /// The bridges the rules were last made for (with `previous`).
    public var previousBridges: [String]
    /// The networks this command brings up, whose rules are refreshed in full.
    public var touched: [NetworkRecord]
    /// With no networks left, keep vmnet's (then inert) table so the next `up` does not pay
    /// for building it again; false removes every trace.
    public var keepTable: Bool
    /// The port forwards of the enabled networks, resolved.
    public var forwards: [ResolvedForward]
    /// The forwards the rules hold now (the same kind of hint as `previous`).
    public var heldForwards: [ResolvedForward]

    public init(
        kind: FirewallKind, networks: [NetworkRecord], allBridges: [String], previous: [NetworkRecord]? = nil, previousBridges: [String] = [],
        touched: [NetworkRecord] = [], keepTable: Bool = true, forwards: [ResolvedForward] = [], heldForwards: [ResolvedForward] = []
    ) {
        self.kind = kind
        self.networks = networks
        self.allBridges = allBridges
        self.previous = previous
        self.previousBridges = previousBridges
        self.touched = touched
        self.keepTable = keepTable
        self.forwards = forwards
        self.heldForwards = heldForwards
    }

    /// Rules rebuilt from `records` alone (recovery, a broken network's removal): no hint, the
    /// table kept while a recorded network uses the mechanism.
    public static func rebuild(_ kind: FirewallKind, records: [NetworkRecord], forwards: [ResolvedForward]) -> FirewallChange {
        let enabled = records.filter(\.enabled)
        return FirewallChange(
            kind: kind, networks: enabled.filter { $0.firewall == kind }, allBridges: enabled.map(\.bridge),
            keepTable: records.contains { $0.firewall == kind }, forwards: forwards)
    }
}
