import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A real systemd-resolved, started once per test process and shared: its own world (a
/// host namespace with an uplink and a fake upstream DNS), and in there a private mount
/// namespace kept alive by a holder process, with a tmpfs over /run, private copies of
/// /etc/resolv.conf, /etc/systemd, /etc/passwd and /etc/group, an overlay over /var and a
/// private system bus. vmnet and resolvectl run in it with `nsenter --target HOLDER --mount
/// --net`. The package is never installed (its postinst rewrites the machine's resolv.conf):
/// `scripts/install-deps --test` unpacks it into `cacheDirectory`.
final class ResolvedDaemon: HeldHost, @unchecked Sendable {
    static let cacheDirectory = "/var/cache/vmnet-tests/systemd-resolved"
    static let programs = ["nsenter", "unshare", "setsid", "dbus-daemon", "dpkg-query"]

    /// The root of systemd-resolved unpacked for the machine's systemd version, after checking
    /// the programs a holder with a private bus needs (NetworkManagerHost runs it too).
    static func requireUnpackedPackage() throws -> String {
        let missing = programs.filter { ExecutableLocator.find($0) == nil }
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test")
        let version = try SpawnRunner().run(["dpkg-query", "-W", "-f=${Version}", "systemd"]).standardOutput
        let package = cacheDirectory + "/" + version
        try #require(FileSystem.exists(package + "/lib/systemd/systemd-resolved"),
                     "no systemd-resolved \(version) unpacked in \(cacheDirectory): run scripts/install-deps --test")
        return package
    }

    /// The one daemon of this test process, started by the first test that asks.
    static func shared() throws -> ResolvedDaemon {
        try started.get()
    }

    private static let started = DaemonUnavailable.starting("systemd-resolved") { try ResolvedDaemon() }
    /// What the exit handler tears down (reading `started` there would start a daemon).
    nonisolated(unsafe) private static var running: ResolvedDaemon?

    /// The sandbox and vmnet's state; its host namespace is the daemon's network namespace.
    let world: VmnetWorld
    let package: String
    let work: String
    let holder: pid_t
    let environment: [String: String]
    private(set) var resolvedPid: pid_t?

    private init() throws {
        try EndToEnd.requirePrerequisites()
        package = try ResolvedDaemon.requireUnpackedPackage()

        world = try VmnetWorld("rsv")
        work = world.sandbox.directory + "/resolved"
        try FileSystem.makeDirectories(work)
        holder = try MountNamespaceHolder.start(
            namespace: world.host, work: work, script: ResolvedDaemon.holderScript, arguments: [work, package, "\(Sandbox.uplinkAddress)"], sandbox: world.sandbox)
        let path = ProcessEnvironment.current()["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        environment = world.environment.merging(["PATH": package + "/usr/bin:" + path]) { $1 }
        ResolvedDaemon.running = self
        atexit { ResolvedDaemon.running?.tearDown() }
        try start()
    }

    var socketPath: String { outside(ResolvedRegistrar.defaultSocket) }

    // MARK: running things inside

    func resolvectl(_ arguments: String...) throws -> ProcessResult {
        try run([package + "/usr/bin/resolvectl"] + arguments)
    }

    /// A runner for in-process checks (ResolvedRegistrar): every command runs inside.
    var runner: CommandRunner { InsideRunner(daemon: self) }

    // MARK: start and stop

    var isRunning: Bool { resolvedPid.map(MountNamespaceHolder.isAlive) ?? false }

    /// Starts resolved (again) and waits until it answers on the bus.
    func start() throws {
        if isRunning { return }
        let log = work + "/resolved.log"
        resolvedPid = try launch("systemd-resolved", "\(package)/lib/systemd/systemd-resolved", log: log, environment: false)
        try waitFor("systemd-resolved answering (log: \(FileSystem.readIfPresent(log) ?? ""))") {
            UnixSocket.state(self.socketPath) == .listening && ((try? self.resolvectl("dns").succeeded) ?? false)
        }
    }

    /// Stops resolved the way a crash or `kill` does: it leaves its socket file behind.
    func stop() throws {
        guard let pid = resolvedPid else { return }
        try terminate(pid, "systemd-resolved")
        resolvedPid = nil
    }

    func tearDown() {
        if let pid = resolvedPid { kill(pid, SIGKILL) }
        resolvedPid = nil
        // The holder, dbus-daemon and every dnsmasq run in the host namespace: the sandbox kills them by pid.
        sandbox.tearDown()
    }

    // MARK: setup

    /// Runs as the holder (arguments: WORK PACKAGE UPSTREAM): private mounts, the system bus,
    /// then sleeps. /run/systemd/resolve is left to resolved, which refuses one owned by root.
    private static let holderScript = #"""
        #!/bin/sh
        set -e
        work=$1; package=$2; upstream=$3
        mount -t tmpfs -o mode=755 tmpfs /run
        mkdir -p /run/dbus /run/systemd "$work/etc/systemd"
        printf 'nameserver 127.0.0.53\n' > "$work/etc/resolv.conf"
        mount --bind "$work/etc/resolv.conf" /etc/resolv.conf
        printf '[Resolve]\nDNS=%s\nDNSSEC=no\nLLMNR=no\nMulticastDNS=no\nDNSStubListener=yes\n' "$upstream" > "$work/etc/systemd/resolved.conf"
        mount --bind "$work/etc/systemd" /etc/systemd
        cp /etc/passwd "$work/etc/passwd"
        cp /etc/group "$work/etc/group"
        if ! grep -q '^systemd-resolve:' "$work/etc/passwd"; then
            printf 'systemd-resolve:x:64953:64953::/run/systemd/resolve:/usr/sbin/nologin\n' >> "$work/etc/passwd"
            printf 'systemd-resolve:x:64953:\n' >> "$work/etc/group"
        fi
        mount --bind "$work/etc/passwd" /etc/passwd
        mount --bind "$work/etc/group" /etc/group
        mkdir -p "$work/var/upper" "$work/var/work"
        mount -t overlay overlay -o "lowerdir=/var,upperdir=$work/var/upper,workdir=$work/var/work" /var
        sed -e '/<fork\/>/d' -e '/<syslog\/>/d' -e '/<servicehelper>/d' -e '/<standard_system_servicedirs\/>/d' \
            -e "s|<includedir>system.d</includedir>|<includedir>/usr/share/dbus-1/system.d</includedir><includedir>$package/usr/share/dbus-1/system.d</includedir>|" \
            /usr/share/dbus-1/system.conf > "$work/dbus.conf"
        dbus-daemon --config-file="$work/dbus.conf" --nofork --nopidfile > "$work/dbus.log" 2>&1 &
        touch "$work/ready"
        exec sleep infinity

        """#
}

/// Runs commands inside the daemon's namespaces, resolvectl from the unpacked package.
private struct InsideRunner: CommandRunner {
    let daemon: ResolvedDaemon

    func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult {
        var command = arguments
        if command.first == "resolvectl" { command[0] = daemon.package + "/usr/bin/resolvectl" }
        return try daemon.sandbox.runner.run(["nsenter", "--target", "\(daemon.holder)", "--mount", "--net"] + command, input: input)
    }
}
