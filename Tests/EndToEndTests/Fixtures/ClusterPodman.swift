import Testing
import VmnetSandbox
import VmnetShell

/// Rootful podman with the CNI backend inside one `ClusterHost` (its net+mount namespaces),
/// with private storage, vmnet's conflists as its network directory and vmnet's plugin
/// directory as its only `cni_plugin_dirs`. The image is busybox-static, as in PodmanHarness.
struct ClusterPodman {
    let host: ClusterHost
    let root: String
    let networkDirectory: String
    let pluginDirectory: String

    /// What `vmnet install --cni` on this host needs to write where this podman reads.
    var vmnetEnvironment: [String: String] { ["VMNET_CNI_DIR": networkDirectory, "VMNET_CNI_PLUGIN_DIR": pluginDirectory] }

    init(host: ClusterHost) throws {
        self.host = host
        root = host.directory + "/podman"
        networkDirectory = host.directory + "/vmnet/cni"
        pluginDirectory = host.directory + "/vmnet/cni-bin"
        for directory in [root, networkDirectory, pluginDirectory] { try FileSystem.makeDirectories(directory) }
        try FileSystem.writeAtomically(PodmanHarness.containersConf(backend: "cni", pluginDirectory: pluginDirectory), to: root + "/containers.conf")
        try importImage()
    }

    @discardableResult
    func podman(_ arguments: [String]) throws -> ProcessResult {
        try host.run(["podman", "--root", root + "/storage", "--runroot", root + "/run", "--network-config-dir", networkDirectory,
                      "--cgroup-manager", "cgroupfs", "--events-backend", "file"] + arguments,
                     environment: ["CONTAINERS_CONF": root + "/containers.conf"])
    }

    private func importImage() throws {
        let tarball = try PodmanHarness.imageTarball(in: root) { try host.run($0) }
        try podman(["import", "--change", "CMD [\"/bin/sh\"]", tarball, "localhost/vmnet-bb"]).requireSuccess("importing the image")
    }
}
