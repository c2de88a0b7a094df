import VmnetCore
import VmnetShell

/// Cluster networks for the commands that also act on local ones. A host that never joined
/// (no cluster.json) gets nil and runs no cluster code: no OVS probe, no northbound access.
extension Context {
    func joinedCluster() throws(VmnetError) -> ClusterController? {
        guard FileSystem.exists(ClusterConfig.file(in: paths)) else { return nil }
        return try cluster()
    }

    /// Names found locally first; on a member, the others are looked up in the cluster.
    func splitByEngine(_ names: [NetworkName]) throws(VmnetError) -> (local: [NetworkName], cluster: [NetworkName], controller: ClusterController?) {
        guard let controller = try joinedCluster() else { return (names, [], nil) }
        let store = StateStore(paths: paths)
        return (names.filter { store.entry($0) != nil }, names.filter { store.entry($0) == nil }, controller)
    }
}
