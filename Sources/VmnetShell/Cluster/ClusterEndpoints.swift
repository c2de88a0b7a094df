import VmnetCore

/// Where the three databases a member talks to are, found the way OVS's and OVN's own tools
/// find them: `$OVN_NB_DB`/`$OVN_SB_DB` first, then what join recorded; the local Open vSwitch
/// database at `unix:$OVS_RUNDIR/db.sock` (ovs-vsctl's default, `/run/openvswitch`).
public struct ClusterEndpoints: Sendable {
    public let northbound: String?
    public let southbound: String?
    public let localSwitch: String

    public init(environment: [String: String], config: ClusterConfig?) {
        northbound = environment["OVN_NB_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? config?.northbound
        southbound = environment["OVN_SB_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? config?.southbound
        let runDirectory = environment["OVS_RUNDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/run/openvswitch"
        localSwitch = "unix:\(runDirectory)/db.sock"
    }
}
