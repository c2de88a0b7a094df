import VmnetShell

extension Context {
    /// The cluster controller when this host can look up cluster networks (joined, or
    /// `$OVN_NB_DB` set); nil otherwise, so a host that never joined asks no database.
    func clusterMember() throws -> ClusterController? {
        let cluster = try ClusterController(paths: paths, environment: environment, warnings: Warnings(report: Output.warning))
        return cluster.isMember ? cluster : nil
    }
}
