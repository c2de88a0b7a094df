import VmnetCore

/// What `vmnet set` did: the change planned, and whether it reached a running network (a
/// network that is down only has its record changed).
public struct SetOutcome: Sendable {
    public let change: NetworkChange
    public let applied: Bool
}
