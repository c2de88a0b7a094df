import Glibc
import JSON
import Testing
import VmnetCore
import VmnetShell

/// vmnet's state directory on a full filesystem: a 1 MiB tmpfs, mounted in a private mount
/// namespace (never in the machine's) held open by a sleeping process in the host's network
/// namespace; every command of the test runs in both through nsenter.
@Suite("A full state filesystem, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct FullDiskTests {
    final class FullDisk {
        let world: VmnetWorld
        let holder: pid_t
        let environment: [String: String]

        init(_ world: VmnetWorld) throws {
            self.world = world
            environment = world.environment.merging([
                "VMNET_PODMAN_DIR": world.sandbox.directory + "/podman", "VMNET_CNI_DIR": world.sandbox.directory + "/cni",
            ]) { $1 }
            let state = world.stateDirectory
            try FileSystem.makeDirectories(state)
            let ready = world.sandbox.directory + "/tmpfs-ready"
            let log = world.sandbox.directory + "/holder.log"
            let script = "mount -t tmpfs -o size=1m,mode=0755 vmnet-full \(state) && touch \(ready) && exec sleep 600"
            let started = try world.sandbox.runner.run([
                "sh", "-c", "setsid ip netns exec \(world.host) unshare -m --propagation private sh -c '\(script)' </dev/null >\(log) 2>&1 & echo $!",
            ]).requireSuccess("starting the mount namespace")
            holder = try #require(pid_t(started.standardOutput.filter { !$0.isWhitespace }))
            for _ in 0..<100 where !FileSystem.exists(ready) { usleep(50_000) }
            try #require(FileSystem.exists(ready), "no tmpfs: \(FileSystem.readIfPresent(log) ?? "")")
        }

        deinit {
            kill(holder, SIGKILL)
            var status: Int32 = 0
            waitpid(holder, &status, 0)
        }

        /// Runs a program in the holder's mount and network namespaces.
        @discardableResult
        func run(_ arguments: [String]) throws -> ProcessResult {
            let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return try world.sandbox.runner.run(["nsenter", "--target", String(holder), "--mount", "--net", "env"] + assignments + arguments)
        }

        @discardableResult
        func vmnet(_ arguments: String...) throws -> ProcessResult { try run([EndToEnd.binary] + arguments) }

        func ok(_ arguments: String...) throws {
            let result = try run([EndToEnd.binary] + arguments)
            #expect(result.succeeded, "vmnet \(arguments.joined(separator: " ")): \(result.standardError)")
        }

        /// Fills the filesystem up with one file.
        func fill() throws {
            try run(["sh", "-c", "dd if=/dev/zero of=\(world.stateDirectory)/filler bs=4096 2>/dev/null; true"])
            let free = try run(["stat", "-f", "-c", "%a", world.stateDirectory]).standardOutput.filter { !$0.isWhitespace }
            try #require(free == "0", "the filesystem still has \(free) free blocks")
        }

        func networks() throws -> String {
            try run(["ls", "-A", world.stateDirectory + "/networks"]).standardOutput
        }

        func state(_ name: String) throws -> String? {
            try JSONCodec.parse(try run([EndToEnd.binary, "show", name, "--json"]).standardOutput, source: "show")["state"]?.stringValue
        }
    }

    /// One line on standard error, a non-zero status.
    private func expectCleanFailure(_ result: ProcessResult, _ doing: String) {
        #expect(!result.succeeded, "\(doing) succeeded on a full disk")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(doing): \(result.standardError)")
    }

    @Test func downAndDestroySucceedAndTheRestFailsLeavingNothing() throws {
        let world = try VmnetWorld("zf")
        let disk = try FullDisk(world)
        try disk.ok("create", "keep")
        try disk.ok("create", "gone")
        try disk.ok("host", "add", "keep", "h1")
        try disk.ok("install", "gone", "--podman", "--cni")
        try disk.fill()
        let pids = try world.hostPids().count

        try disk.ok("down", "keep")
        #expect(try disk.state("keep") == "down")
        #expect(try world.hostPids().count == pids - 1)
        #expect(try !world.links().contains("vmn-keep"))

        let networks = try disk.networks()
        expectCleanFailure(try disk.vmnet("up", "keep"), "up")
        #expect(try disk.state("keep") == "down")
        #expect(try !world.links().contains("vmn-keep"))
        expectCleanFailure(try disk.vmnet("create", "new"), "create")
        expectCleanFailure(try disk.vmnet("host", "add", "gone", "h2"), "host add")
        expectCleanFailure(try disk.vmnet("host", "add", "keep", "h3"), "host add")
        #expect(try disk.run([EndToEnd.binary, "host", "list", "keep"]).standardOutput.contains("h1"))
        #expect(try !disk.run([EndToEnd.binary, "host", "list", "keep"]).standardOutput.contains("h3"))
        #expect(try disk.networks() == networks)
        #expect(try !world.links().contains("vmn-new"))
        #expect(try world.hostPids().count == pids - 1)
        // No temporary file of a failed write stays.
        #expect(try !disk.run(["find", world.stateDirectory, "-name", ".*.tmp"]).standardOutput.contains(".tmp"))

        try disk.ok("destroy", "gone")
        #expect(FileSystem.list(world.sandbox.directory + "/podman").isEmpty && FileSystem.list(world.sandbox.directory + "/cni").isEmpty)
        #expect(try !disk.networks().contains("gone"))
        #expect(try !world.links().contains("vmn-gone"))
        #expect(try world.hostPids().count == pids - 2)
        try disk.ok("destroy", "keep")
        #expect(try disk.networks().isEmpty)
        #expect(try world.nftTable() == nil)
    }

    /// A directory without a record (what a failed or killed create used to leave) goes
    /// with `destroy`, and blocks nothing.
    @Test func destroyRemovesADirectoryWithoutARecord() throws {
        let world = try VmnetWorld("zr")
        try FileSystem.makeDirectories(world.stateDirectory + "/networks/empty")
        let result = try world.ok("destroy", "empty")
        #expect(result.standardOutput.contains("destroyed: empty"))
        #expect(!FileSystem.exists(world.stateDirectory + "/networks/empty"))
        try world.ok("create", "empty")
    }
}
