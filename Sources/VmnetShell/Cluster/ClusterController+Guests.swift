import VmnetCore

/// Guests of cluster networks and this host's own attachment to them. (Stubs until the guests
/// part lands; the networks part calls them.)
extension ClusterController {
    /// This member's own port on the network (create on this host, `up NAME` on any member).
    func attach(_ network: ClusterNetwork) throws(VmnetError) {}

    /// Removes this member's port (`down NAME`, `destroy`).
    func detach(_ network: ClusterNetwork) throws(VmnetError) {}
}
