import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A desktop's NetworkManager beside a real systemd-resolved, started once per test process
/// and shared: a host namespace (with an uplink and a fake upstream DNS) and in there a private
/// mount namespace kept alive by a holder process: a tmpfs over /run, overlays over /etc and
/// /var (so /etc/NetworkManager, its conf.d and /var/lib/NetworkManager are private), this
/// namespace's own sysfs, and a private system bus carrying NetworkManager's and resolved's
/// policies. vmnet, nmcli and resolvectl run in it with `nsenter --target HOLDER --mount --net`,
/// so vmnet writes the drop-in where NetworkManager reads it, /etc/NetworkManager/conf.d.
///
/// Neither package is installed (NetworkManager pulls udev and a newer systemd, resolved
/// rewrites the machine's resolv.conf): `scripts/install-deps --test` unpacks both. Without
/// udev, NetworkManager 1.42 waits forever for udev to announce a link unless /sys is
/// read-only (how it runs in containers), so sysfs is mounted read-only. That also leaves out
/// udev's 85-nm-unmanaged.rules, which on a desktop marks veths not named eth* unmanaged: here
/// NetworkManager takes every link it may, the worst case.
final class NetworkManagerHost: HeldHost, @unchecked Sendable {
    static let cacheDirectory = "/var/cache/vmnet-tests/network-manager"

    /// The unpacked package's root, newest version first.
    static var package: String? {
        let versions = FileSystem.list(cacheDirectory).sorted(by: >)
        return versions.map { cacheDirectory + "/" + $0 }.first { FileSystem.exists($0 + "/usr/sbin/NetworkManager") }
    }

    /// Under CI a missing NetworkManager fails the suite; elsewhere it disables it.
    static var enabled: Bool { EndToEnd.isCI || (EndToEnd.enabled && package != nil) }

    static func shared() throws -> NetworkManagerHost { try started.get() }

    private static let started = DaemonUnavailable.starting("NetworkManager") { try NetworkManagerHost() }
    nonisolated(unsafe) private static var running: NetworkManagerHost?

    let world: VmnetWorld
    let package: String
    let resolvedPackage: String
    let work: String
    let holder: pid_t
    let environment: [String: String]
    private(set) var networkManagerPid: pid_t?
    private(set) var resolvedPid: pid_t?

    private init() throws {
        try EndToEnd.requirePrerequisites()
        resolvedPackage = try ResolvedDaemon.requireUnpackedPackage()
        package = try #require(NetworkManagerHost.package, "no NetworkManager unpacked in \(NetworkManagerHost.cacheDirectory): run scripts/install-deps --test")

        world = try VmnetWorld("nm")
        work = world.sandbox.directory + "/networkmanager"
        try FileSystem.makeDirectories(work)
        holder = try MountNamespaceHolder.start(
            namespace: world.host, work: work, script: NetworkManagerHost.holderScript,
            arguments: [work, "\(Sandbox.uplinkAddress)", package, resolvedPackage], sandbox: world.sandbox)
        let path = ProcessEnvironment.current()["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        let root = package
        let libraries = FileSystem.list(root + "/usr/lib").filter { $0.hasSuffix("-linux-gnu") }.map { root + "/usr/lib/" + $0 }
        environment = world.environment.merging([
            "PATH": "\(root)/usr/bin:\(resolvedPackage)/usr/bin:\(path)",
            "LD_LIBRARY_PATH": libraries.joined(separator: ":"),
            // The real place, in the holder's private /etc.
            "VMNET_NM_CONF_DIR": NetworkManagerDropIn.defaultDirectory,
        ]) { $1 }
        NetworkManagerHost.running = self
        atexit { NetworkManagerHost.running?.tearDown() }
        try startResolved()
        try startNetworkManager()
    }

    // MARK: running things inside

    @discardableResult
    func nmcli(_ arguments: String...) throws -> ProcessResult { try run(["nmcli"] + arguments) }

    /// What `nmcli device` says of each link: "unmanaged", "connected (externally)"…
    func deviceStates() throws -> [String: String] {
        NetworkManagerPlanner.deviceStates(try run(NetworkManagerPlanner.deviceQuery).requireSuccess("listing NetworkManager's devices").standardOutput)
    }

    var dropIn: String? { FileSystem.readIfPresent(outside(NetworkManagerDropIn.defaultDirectory + "/" + NetworkManagerPlanner.dropInName)) }

    /// vmnet's record of network `name`, from this host's state directory.
    func record(_ name: String) throws -> NetworkRecord {
        let store = StateStore(paths: Paths(environment: environment, executablePath: EndToEnd.binary))
        return try #require(try store.load(try NetworkName(name)))
    }

    /// What a network manager does at boot and at resume: the uplink up, its address and
    /// default route (a test's deleted connection profile or moved uplink may have taken them).
    func restoreUplink() throws {
        for command in [["ip", "link", "set", "h-up", "up"], ["ip", "address", "replace", "\(Sandbox.hostUplinkAddress)/24", "dev", "h-up"],
                        ["ip", "route", "replace", "default", "via", "\(Sandbox.uplinkAddress)"]] {
            try run(command).requireSuccess("configuring the uplink")
        }
    }

    /// A veth pair `name`/`peer` (`peer` moved to `peerNamespace` when given) that NetworkManager
    /// leaves alone, as it leaves a tunnel a VPN client made or a link another tool owns: here,
    /// without udev, it takes every new link, so it is told once it has seen it. Not brought up.
    func addUnmanagedVeth(_ name: String, peer: String, peerNamespace: String? = nil) throws {
        let placement = peerNamespace.map { ["netns", $0] } ?? []
        // From outside: the holder's private /run has no /run/netns to name the peer's namespace by.
        try sandbox.runner.run(["ip", "-n", host, "link", "add", name, "type", "veth", "peer", "name", peer] + placement).requireSuccess("adding \(name)")
        let local = peerNamespace == nil ? [name, peer] : [name]
        try waitFor("NetworkManager seeing \(local.joined(separator: ", "))", seconds: 5) {
            let states = (try? deviceStates()) ?? [:]
            return local.allSatisfy { states[$0] != nil }
        }
        for link in local { try nmcli("device", "set", link, "managed", "no").requireSuccess("leaving \(link) unmanaged") }
    }

    /// A VPN's tunnel routing all of 10.0.0.0/8: one end of an unmanaged veth pair stands for
    /// it (no dummy driver here), as in VPNTests. Removed with `ip link del vpn0`.
    func addVPN() throws {
        try addUnmanagedVeth("vpn0", peer: "vpn0-far")
        for command in [["ip", "link", "set", "vpn0", "up"], ["ip", "link", "set", "vpn0-far", "up"], ["ip", "route", "add", "10.0.0.0/8", "dev", "vpn0"]] {
            try run(command).requireSuccess("adding the VPN's route")
        }
    }

    // MARK: start and stop

    var networkManagerRuns: Bool { networkManagerPid.map(MountNamespaceHolder.isAlive) ?? false }

    /// Starts NetworkManager and waits until it has looked at every link (nmcli lists them all).
    func startNetworkManager() throws {
        if networkManagerRuns { return }
        networkManagerPid = try launch("NetworkManager", "\(package)/usr/sbin/NetworkManager --debug --log-level=INFO --pid-file=/run/NetworkManager/NetworkManager.pid",
                                   log: work + "/NetworkManager.log")
        try waitFor("NetworkManager answering (log: \(FileSystem.readIfPresent(work + "/NetworkManager.log") ?? ""))") {
            (try? self.nmcli("-t", "general", "status").succeeded) ?? false
        }
        let links = try run(["ip", "-o", "link", "show"]).standardOutput.split(separator: "\n").count
        try waitFor("NetworkManager listing the \(links) links") { ((try? self.deviceStates().count) ?? 0) >= links }
    }

    func stopNetworkManager() throws {
        guard let pid = networkManagerPid else { return }
        try terminate(pid, "NetworkManager")
        networkManagerPid = nil
    }

    private func startResolved() throws {
        resolvedPid = try launch("resolved", "\(resolvedPackage)/lib/systemd/systemd-resolved", log: work + "/resolved.log")
        try waitFor("systemd-resolved answering") { (try? self.run(["resolvectl", "dns"]).succeeded) ?? false }
    }

    func tearDown() {
        for pid in [networkManagerPid, resolvedPid].compactMap({ $0 }) { kill(pid, SIGKILL) }
        networkManagerPid = nil
        resolvedPid = nil
        // The holder, dbus-daemon and every dnsmasq run in the host namespace: the sandbox kills them by pid.
        sandbox.tearDown()
    }

    // MARK: setup

    /// Runs as the holder (arguments: WORK UPSTREAM PACKAGE…): private mounts and the system bus,
    /// then sleeps. NetworkManager.conf names none of vmnet's links (that is vmnet's drop-in's
    /// job), only the harness's guest ports (`Sandbox.addClient`'s p<N>-<pid> veths) and
    /// podman's container ports (veth*), which udev's veth rule keeps unmanaged on a desktop:
    /// without it NetworkManager pulls a guest's port out of the bridge to run DHCP on it. Its list also shows the drop-in's `+=` keeps
    /// the host's own.
    private static let holderScript = #"""
        #!/bin/sh
        set -e
        work=$1; upstream=$2; shift 2
        mount -t tmpfs -o mode=755 tmpfs /run
        mount -t sysfs -o ro sysfs /sys
        mkdir -p "$work/etc/upper" "$work/etc/work" "$work/var/upper" "$work/var/work"
        mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/etc/upper,workdir=$work/etc/work" /etc
        mount -t overlay overlay -o "lowerdir=/var,upperdir=$work/var/upper,workdir=$work/var/work" /var
        mkdir -p /run/dbus /run/systemd /run/NetworkManager /etc/systemd /etc/NetworkManager/conf.d \
            /etc/NetworkManager/system-connections /var/lib/NetworkManager
        rm -f /etc/resolv.conf
        printf 'nameserver 127.0.0.53\n' > /etc/resolv.conf
        printf '[Resolve]\nDNS=%s\nDNSSEC=no\nLLMNR=no\nMulticastDNS=no\nDNSStubListener=yes\n' "$upstream" > /etc/systemd/resolved.conf
        if ! grep -q '^systemd-resolve:' /etc/passwd; then
            printf 'systemd-resolve:x:64953:64953::/run/systemd/resolve:/usr/sbin/nologin\n' >> /etc/passwd
            printf 'systemd-resolve:x:64953:\n' >> /etc/group
        fi
        printf '[main]\nplugins=keyfile\ndns=systemd-resolved\nrc-manager=unmanaged\nauth-polkit=false\n[keyfile]\npath=/etc/NetworkManager/system-connections\nunmanaged-devices=interface-name:p?-*;interface-name:p??-*;interface-name:veth*\n' \
            > /etc/NetworkManager/NetworkManager.conf
        includes='<includedir>/usr/share/dbus-1/system.d</includedir>'
        for package in "$@"; do includes="$includes<includedir>$package/usr/share/dbus-1/system.d</includedir>"; done
        sed -e '/<fork\/>/d' -e '/<syslog\/>/d' -e '/<servicehelper>/d' -e '/<standard_system_servicedirs\/>/d' \
            -e "s|<includedir>system.d</includedir>|$includes|" /usr/share/dbus-1/system.conf > "$work/dbus.conf"
        dbus-daemon --config-file="$work/dbus.conf" --nofork --nopidfile > "$work/dbus.log" 2>&1 &
        touch "$work/ready"
        exec sleep infinity

        """#
}
