import VmnetCore

/// What `bringUp` decided before its first effect: the host as seen, the records on disk, and
/// whether IPv6 forwarding may go on.
struct BringUpPlan {
    let host: HostSnapshot
    let before: [NetworkRecord]
    let ipv6: AcceptRAGuard
}
