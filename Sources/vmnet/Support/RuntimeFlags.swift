import ArgumentParser
import VmnetCore

/// `--podman`, `--cni`, `--libvirt`: which runtimes a command is about.
struct RuntimeFlags: ParsableArguments {
    @Flag(help: "Podman's network file (netavark format) in /etc/containers/networks.")
    var podman = false

    @Flag(help: "A CNI conflist in /etc/cni/net.d (podman's CNI backend, nerdctl).")
    var cni = false

    @Flag(help: "A libvirt network in bridge mode (virsh net-define, net-autostart, net-start).")
    var libvirt = false

    var kinds: [RuntimeKind] {
        [(podman, RuntimeKind.podman), (cni, .cni), (libvirt, .libvirt)].filter(\.0).map(\.1)
    }
}
