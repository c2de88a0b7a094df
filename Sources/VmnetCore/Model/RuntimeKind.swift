/// The runtimes vmnet can hand a network to.
public enum RuntimeKind: String, CaseIterable, Sendable {
    /// A Podman network file (netavark format).
    case podman
    /// A CNI conflist (podman's CNI backend, nerdctl).
    case cni
    /// A libvirt network in bridge mode.
    case libvirt
}
