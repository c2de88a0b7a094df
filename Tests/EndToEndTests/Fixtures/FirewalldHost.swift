import Testing
import VmnetCore
import VmnetShell

/// A real firewalld in a shared host namespace, on a private system bus, with a private copy
/// of /etc/firewalld (kept at `configuration` to compare before and after).
final class FirewalldHost: @unchecked Sendable {
    let shared: SharedHost
    let bus: String

    /// Started once per test process, on first use (a static let is initialized once, lazily).
    private static let instance = Result { try FirewalldHost(SharedHost("fd")) }

    static func get() throws -> FirewalldHost { try instance.get() }

    var configuration: String { shared.sandbox.directory + "/firewalld-etc" }
    /// What vmnet and firewall-cmd need to reach this firewalld.
    var environment: [String: String] { ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(bus)"] }

    /// Starts firewalld in `shared`'s host namespace.
    init(_ shared: SharedHost) throws {
        try #require(ExecutableLocator.find("firewalld") != nil && ExecutableLocator.find("dbus-daemon") != nil,
                     "firewalld or dbus is missing: run scripts/install-deps --test")
        self.shared = shared
        let dir = shared.sandbox.directory
        bus = dir + "/dbus/system_bus_socket"
        // dbus's system.conf without fork, pid file, syslog, user switch and service helper.
        let script = """
            set -e
            mkdir -p \(dir)/dbus
            cp -a /etc/firewalld \(dir)/firewalld-etc
            sed -e '/<fork\\/>/d' -e '/<pidfile>/d' -e '/<syslog\\/>/d' -e '/<user>/d' -e '/<servicehelper>/d' \\
                -e 's|<listen>.*</listen>|<listen>unix:path=\(bus)</listen>|' \\
                -e 's|<includedir>system.d</includedir>|<includedir>/usr/share/dbus-1/system.d</includedir>|' \\
                /usr/share/dbus-1/system.conf > \(dir)/dbus/system.conf
            mount -t tmpfs tmpfs /run
            mount --bind \(dir)/firewalld-etc /etc/firewalld
            dbus-daemon --config-file=\(dir)/dbus/system.conf --nofork &
            for i in $(seq 50); do [ -S \(bus) ] && break; sleep 0.1; done
            export DBUS_SYSTEM_BUS_ADDRESS=unix:path=\(bus)
            exec firewalld --nofork --nopid --log-target file --log-file \(dir)/firewalld-own.log
            """
        _ = try shared.startDaemon("firewalld", script: script)
        let running = try shared.wait(60) { try firewallCmd("--state").standardOutput.hasPrefix("running") }
        try #require(running, "firewalld did not start: \(shared.log("firewalld"))")
    }

    @discardableResult
    func firewallCmd(_ arguments: String...) throws -> ProcessResult {
        try shared.sandbox.run(in: shared.host, ["firewall-cmd"] + arguments, environment: environment)
    }

    /// The permanent configuration as firewalld reads it, and every file of the private
    /// /etc/firewalld but the zone file firewalld rewrites (with its `.old` backup) whenever
    /// a permanent binding changes, even back.
    func configurationSnapshot() throws -> String {
        let files = try shared.sandbox.runner.run([
            "sh", "-c", "cd \(configuration) && find . -type f ! -path './zones/\(Firewalld.zone).xml*' | sort | xargs -r sha256sum",
        ]).standardOutput
        return try firewallCmd("--permanent", "--list-all-zones").standardOutput + files
    }
}
