import Testing
import VmnetCore
import VmnetShell

/// ufw enabled in a shared host namespace, with private copies of its configuration.
final class UfwHost: @unchecked Sendable {
    let shared: SharedHost

    /// Started once per test process, on first use (a static let is initialized once, lazily).
    private static let instance = Result { try UfwHost(SharedHost("uf")) }

    static func get() throws -> UfwHost { try instance.get() }

    /// Enables ufw in `shared`'s host namespace.
    init(_ shared: SharedHost) throws {
        try #require(ExecutableLocator.find("ufw") != nil, "ufw is missing: run scripts/install-deps --test")
        self.shared = shared
        let dir = shared.sandbox.directory
        // ufw's sysctl file is emptied in the copy: the namespace needs none of it.
        let copy = """
            set -e
            cp -a /etc/ufw \(dir)/ufw-etc && cp -a /lib/ufw \(dir)/ufw-lib && cp /etc/default/ufw \(dir)/ufw-default
            : > \(dir)/ufw-etc/empty-sysctl.conf
            sed -i 's|^IPT_SYSCTL=.*|IPT_SYSCTL=/etc/ufw/empty-sysctl.conf|' \(dir)/ufw-default
            """
        try shared.sandbox.runner.run(["sh", "-c", copy]).requireSuccess("copying ufw's configuration")
        let script = """
            set -e
            mount --bind \(dir)/ufw-etc /etc/ufw
            mount --bind \(dir)/ufw-lib /lib/ufw
            mount --bind \(dir)/ufw-default /etc/default/ufw
            ufw "$@"
            """
        try FileSystem.writeAtomically(script, to: dir + "/ufw.sh", mode: 0o755)
        try ufw("--force", "enable").requireSuccess("enabling ufw")
    }

    /// Runs ufw on the shared host with its private configuration.
    @discardableResult
    func ufw(_ arguments: String...) throws -> ProcessResult {
        try shared.sandbox.runner.run(["nsenter", "--net=/run/netns/\(shared.host)", "unshare", "-m", "--propagation", "private",
                                       "sh", shared.sandbox.directory + "/ufw.sh"] + arguments)
    }
}
