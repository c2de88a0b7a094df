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
        try FileSystem.writeAtomically("""
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
            [engine]
            runtime = "runc"
            [network]
            network_backend = "cni"
            cni_plugin_dirs = ["\(pluginDirectory)"]

            """, to: root + "/containers.conf")
        try importImage()
    }

    @discardableResult
    func podman(_ arguments: [String]) throws -> ProcessResult {
        try host.run(["podman", "--root", root + "/storage", "--runroot", root + "/run", "--network-config-dir", networkDirectory,
                      "--cgroup-manager", "cgroupfs", "--events-backend", "file"] + arguments,
                     environment: ["CONTAINERS_CONF": root + "/containers.conf"])
    }

    private func importImage() throws {
        let image = root + "/image"
        try FileSystem.makeDirectories(image + "/bin")
        try FileSystem.makeDirectories(image + "/etc")
        let busybox = try #require(ExecutableLocator.find("busybox"), "busybox-static is needed for the container image")
        try host.run(["cp", busybox, image + "/bin/busybox"]).requireSuccess("copying busybox")
        for applet in ["sh", "ip", "ping", "nslookup", "cat", "echo", "sleep", "true", "date", "nc", "hostname"] {
            try host.run(["ln", "-sf", "busybox", image + "/bin/" + applet]).requireSuccess("linking \(applet)")
        }
        try FileSystem.writeAtomically("root:x:0:0:root:/root:/bin/sh\n", to: image + "/etc/passwd")
        try host.run(["tar", "-C", image, "-cf", root + "/image.tar", "."]).requireSuccess("packing the image")
        try podman(["import", "--change", "CMD [\"/bin/sh\"]", root + "/image.tar", "localhost/vmnet-bb"]).requireSuccess("importing the image")
    }
}
