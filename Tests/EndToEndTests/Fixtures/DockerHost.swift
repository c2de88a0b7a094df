import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A real dockerd (Debian's docker.io) in a host namespace, with private data-root,
/// exec-root, pidfile, socket, /etc/docker and resolv.conf, and a busybox image imported
/// from busybox-static (there is no registry).
final class DockerHost: @unchecked Sendable {
    let shared: SharedHost
    private(set) var pid: pid_t = 0
    private var starts = 0
    /// Variables dockerd starts with (firewalld's system bus, when it should talk to one).
    var environment: [String: String] = [:]

    /// The host namespace where dockerd started before vmnet did; started once per process,
    /// on first use (a static let is initialized once, lazily).
    private static let instance = Result { () throws -> DockerHost in
        let made = try DockerHost(SharedHost("dk"))
        try made.start()
        try made.importImage()
        return made
    }

    static func get() throws -> DockerHost { try instance.get() }

    init(_ shared: SharedHost) throws {
        try #require(ExecutableLocator.find("dockerd") != nil && FileSystem.exists("/usr/bin/docker"),
                     "docker.io is missing: run scripts/install-deps --test")
        self.shared = shared
    }

    var directory: String { shared.sandbox.directory + "/docker" }
    var socket: String { directory + "/docker.sock" }

    func start() throws {
        starts += 1
        let dir = directory
        // --ip6tables (experimental in Docker 20.10) makes dockerd set ip6tables' FORWARD policy
        // to DROP as well, as Docker hosts with IPv6 have it.
        let script = """
            set -e
            mkdir -p \(dir)/etc \(dir)/data \(dir)/exec
            mount -t tmpfs tmpfs /run
            mount --bind \(dir)/etc /etc/docker
            echo "nameserver \(Sandbox.uplinkAddress)" > \(dir)/resolv.conf
            mount --bind \(dir)/resolv.conf /etc/resolv.conf
            \(environment.map { "export \($0.key)='\($0.value)'\n" }.joined())exec dockerd --experimental --ip6tables --data-root \(dir)/data --exec-root \(dir)/exec --pidfile \(dir)/docker.pid -H unix://\(socket) --storage-driver overlay2
            """
        pid = try shared.startDaemon("dockerd\(starts)", script: script)
        let answered = try shared.wait(60) { try docker("version").succeeded }
        try #require(answered, "dockerd did not answer: \(shared.log("dockerd\(starts)"))")
    }

    func restart() throws {
        shared.stopDaemon(pid)
        try start()
    }

    func stop() { shared.stopDaemon(pid) }

    /// The docker client on this daemon's socket.
    @discardableResult
    func docker(_ arguments: String...) throws -> ProcessResult {
        try shared.sandbox.runner.run(["/usr/bin/docker", "-H", "unix://\(socket)"] + arguments)
    }

    /// Imports the busybox image (no registry here).
    func importImage() throws {
        let root = directory + "/rootfs"
        let script = """
            set -e
            mkdir -p \(root)/bin \(root)/etc
            cp /bin/busybox \(root)/bin/busybox
            for applet in sh nc cat echo sleep; do ln -sf busybox \(root)/bin/$applet; done
            echo 'root:x:0:0:root:/:/bin/sh' > \(root)/etc/passwd
            tar -C \(root) -c . > \(directory)/rootfs.tar
            """
        try shared.sandbox.runner.run(["sh", "-c", script]).requireSuccess("building the busybox image")
        try docker("import", "--change", "CMD [\"/bin/sh\"]", directory + "/rootfs.tar", "vmnet-bb").requireSuccess("importing the busybox image")
    }

    /// True when a container on Docker's default bridge reaches the uplink's echo server over TCP.
    func containerReachesUplink() throws -> Bool {
        let result = try docker("run", "--rm", "--dns", Sandbox.uplinkAddress.description, "vmnet-bb",
                                "sh", "-c", "echo vmnet | nc -w 2 \(Sandbox.uplinkAddress) \(Traffic.port)")
        return result.succeeded && result.standardOutput.contains("vmnet")
    }
}
