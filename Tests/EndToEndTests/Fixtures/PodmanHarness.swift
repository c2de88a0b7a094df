import Testing
import VmnetShell

/// Rootful podman inside a test's host namespace, with its storage, run state and network
/// files in the sandbox. As this machine needs: runc (crun fails on its cgroup layout),
/// explicit ulimits, and `nsenter --net` (`ip netns exec` remounts /sys and runc then finds
/// no cgroup mount). The image is busybox-static imported from a tar: there is no registry.
struct PodmanHarness {
    let world: VmnetWorld
    let backend: String
    let networkDirectory: String
    let root: String
    /// Where vmnet installs its OCI hook (`VMNET_HOOKS_DIR`); podman reads hooks only there.
    let hooksDirectory: String?

    init(world: VmnetWorld, backend: String, networkDirectory: String, hooksDirectory: String? = nil) throws {
        self.world = world
        self.hooksDirectory = hooksDirectory
        self.backend = backend
        self.networkDirectory = networkDirectory
        root = world.sandbox.directory + "/podman-\(backend)"
        try FileSystem.makeDirectories(root)
        try FileSystem.makeDirectories(networkDirectory)
        try FileSystem.writeAtomically(PodmanHarness.containersConf(backend: backend), to: root + "/containers.conf")
        try importImage()
    }

    func podman(_ arguments: [String]) throws -> ProcessResult {
        try world.sandbox.runner.run([
            "nsenter", "--net=/run/netns/\(world.host)", "env", "CONTAINERS_CONF=\(root)/containers.conf",
            "podman", "--root", root + "/storage", "--runroot", root + "/run", "--network-config-dir", networkDirectory,
            "--cgroup-manager", "cgroupfs", "--events-backend", "file",
        ] + (hooksDirectory.map { ["--hooks-dir", $0] } ?? []) + arguments)
    }

    /// Runs a shell script in a throwaway container on `network`; returns its output.
    func runScript(on network: String, dns: String, options: [String] = [], _ script: String) throws -> ProcessResult {
        try podman(["run", "--rm", "--network", network, "--dns", dns] + options + ["localhost/vmnet-bb", "sh", "-c", script])
    }

    private func importImage() throws {
        let tarball = try PodmanHarness.imageTarball(in: root) { try world.sandbox.runner.run($0) }
        try podman(["import", "--change", "CMD [\"/bin/sh\"]", tarball, "localhost/vmnet-bb"]).requireSuccess("importing the image")
    }

    /// The containers.conf this machine needs: runc, explicit ulimits, the backend (and the
    /// CNI plugin directory, when vmnet's plugin is to be found).
    static func containersConf(backend: String, pluginDirectory: String? = nil) -> String {
        """
        [containers]
        default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
        [engine]
        runtime = "runc"
        [network]
        network_backend = "\(backend)"
        \(pluginDirectory.map { "cni_plugin_dirs = [\"\($0)\"]\n" } ?? "")
        """
    }

    /// Packs the busybox-static image under `root`; returns the tarball for `podman import`.
    static func imageTarball(in root: String, run: ([String]) throws -> ProcessResult) throws -> String {
        let image = root + "/image"
        try FileSystem.makeDirectories(image + "/bin")
        try FileSystem.makeDirectories(image + "/etc")
        let busybox = try #require(ExecutableLocator.find("busybox"), "busybox-static is needed for the container image")
        try run(["cp", busybox, image + "/bin/busybox"]).requireSuccess("copying busybox")
        for applet in ["sh", "ip", "ping", "nslookup", "cat", "echo", "sleep", "true", "grep", "date", "nc", "hostname"] {
            try run(["ln", "-sf", "busybox", image + "/bin/" + applet]).requireSuccess("linking \(applet)")
        }
        try FileSystem.writeAtomically("root:x:0:0:root:/root:/bin/sh\n", to: image + "/etc/passwd")
        try run(["tar", "-C", image, "-cf", root + "/image.tar", "."]).requireSuccess("packing the image")
        return root + "/image.tar"
    }
}
