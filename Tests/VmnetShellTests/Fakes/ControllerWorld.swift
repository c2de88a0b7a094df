import Glibc
@testable import VmnetShell
import VmnetCore

/// A controller on recording fakes with its state, run and config directories in a fresh
/// temporary directory: no root, no links, no processes.
final class ControllerWorld {
    let log = EffectLog()
    let runner: FakeRunner
    let root: String
    /// The fake host's files live under `root`.
    let host: FakeHost
    let paths: Paths
    let collaborators: NetworkCollaborators
    let controller: NetworkController
    let forwardingFile: String
    /// A listening socket standing in for systemd-resolved's, when asked for.
    private var resolvedSocket: Int32 = -1

    init(forwardingFile given: String? = nil, privileged: Bool = true, resolved: Bool = false, missingPrograms: Set<String> = []) {
        var template = Array("/tmp/vmnet-shell-test.XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        forwardingFile = given ?? root + "/ip_forward"
        // dnsmasq's user must reach the host lists, as under /var/lib.
        chmod(root, 0o755)
        try? FileSystem.writeAtomically("0\n", to: root + "/ip_forward")
        try? FileSystem.makeDirectories(root + "/proc/sys/net/ipv6/conf/all")
        try? FileSystem.writeAtomically("0\n", to: root + "/proc/sys/net/ipv6/conf/all/forwarding")
        // A LAN resolver, as most hosts have: without one, create and up warn (no upstream DNS).
        try? FileSystem.makeDirectories(root + "/etc")
        try? FileSystem.writeAtomically("nameserver 192.0.2.53\n", to: root + "/etc/resolv.conf")
        // One unique local prefix for every world, so their effects can be compared.
        try? FileSystem.makeDirectories(root + "/state")
        try? FileSystem.writeAtomically(#"{"version": 1, "prefix": "fd42:4242:4242::/48"}"# + "\n", to: root + "/state/ula.json")
        let repository = String(#filePath.split(separator: "/").dropLast(4).joined(separator: "/"))
        let environment = [
            "VMNET_STATE_DIR": root + "/state", "VMNET_RUN_DIR": root + "/run", "VMNET_CONFIG_DIR": root + "/etc",
            "VMNET_PROFILES_DIR": "/" + repository + "/profiles", "VMNET_RESOLVED_SOCKET": root + "/resolved",
            "VMNET_PODMAN_DIR": root + "/podman", "VMNET_CNI_DIR": root + "/cni", "VMNET_CNI_STATE_DIR": root + "/cni-state",
            "VMNET_LIBVIRT_NETWORKS_DIR": root + "/libvirt", "VMNET_NM_CONF_DIR": root + "/NetworkManager/conf.d",
        ]
        runner = FakeRunner(log: log)
        host = FakeHost(log: log, root: root, privileged: privileged, missing: missingPrograms)
        collaborators = NetworkCollaborators(
            runner: runner, links: FakeLinkManager(log: log),
            firewalls: [.nftables: FakeFirewall(kind: .nftables, log: log)], processes: FakeProcesses(log: log),
            host: host, forwarding: IPForwarding(file: forwardingFile),
            ipv6Forwarding: IPv6Forwarding(procRoot: root + "/proc"))
        if resolved { resolvedSocket = Self.listen(at: root + "/resolved") }
        paths = Paths(environment: environment, executablePath: "/nonexistent/vmnet")
        controller = NetworkController(paths: paths, environment: environment, collaborators: collaborators)
    }

    deinit {
        if resolvedSocket >= 0 { close(resolvedSocket) }
        FileSystem.removeTree(root)
    }

    private static func listen(at path: String) -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        Glibc.listen(descriptor, 8)
        return descriptor
    }

    /// True when nothing of a network is left: no links but lo, no processes, no record.
    var isClean: Bool {
        log.interfaces == ["lo"] && log.processes.isEmpty && controller.store.scan().records.isEmpty
    }
}
