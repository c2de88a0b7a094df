import Glibc
import VmnetCore
import VmnetShell

/// The second contender: a real libvirtd started in the benchmark's namespace, with a private
/// mount namespace (overlays over /etc and /var, a tmpfs over /run) so that its state, its
/// configuration and its dnsmasqs' files stay out of the machine's. Reached with virsh over a
/// socket in the benchmark's directory.
final class LibvirtDaemon {
    let runner: CommandRunner
    let directory: String
    private(set) var pid: pid_t = 0

    /// libvirt's networks take 10.160.N.0/24: private, clear of vmnet's pool (10.140.0.0/16)
    /// and of the original script's (10.150.N.0/24).
    static func subnetPrefix(_ index: Int) -> String { "10.160.\(index)" }
    static func name(_ index: Int) -> String { "lvb\(index)" }

    var uri: String { "qemu:///system?socket=\(directory)/sock/libvirt-sock" }

    /// Starts libvirtd and waits for its first answer (~8 s on a cold machine), so that no
    /// timing includes its start-up.
    init(runner: CommandRunner, directory: String) throws {
        self.runner = runner
        self.directory = directory
        try FileSystem.makeDirectories(directory + "/sock")
        try FileSystem.makeDirectories(directory + "/log")
        let script = """
            set -e
            d='\(directory)'
            mkdir -p "$d/etc-up" "$d/etc-work" "$d/var-up" "$d/var-work"
            mount -t overlay overlay -o lowerdir=/etc,upperdir="$d/etc-up",workdir="$d/etc-work" /etc
            mount -t overlay overlay -o lowerdir=/var,upperdir="$d/var-up",workdir="$d/var-work" /var
            mount -t tmpfs tmpfs /run
            mkdir -p /etc/libvirt/qemu/networks /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run/libvirt
            printf '%s\\n' "unix_sock_dir = \\"$d/sock\\"" 'auth_unix_rw = "none"' 'auth_unix_ro = "none"' \\
                "log_outputs = \\"3:file:$d/log/libvirtd.log\\"" > "$d/libvirtd.conf"
            exec libvirtd --daemon --config "$d/libvirtd.conf" --pid-file "$d/libvirtd.pid" </dev/null >"$d/log/out" 2>&1
            """
        try runner.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script]).requireSuccess("starting libvirtd")
        pid = FileSystem.readIfPresent(directory + "/libvirtd.pid").flatMap { pid_t($0.filter { !$0.isWhitespace }) } ?? 0
        guard pid > 0 else { throw VmnetError.failed("starting libvirtd: no pid file: see \(directory)/log") }
        var answered = false
        for _ in 0..<300 where !answered {
            answered = (try? runner.run(["virsh", "-c", uri, "net-list", "--all"]).succeeded) ?? false
            if !answered { usleep(100_000) }
        }
        guard answered else {
            stop()
            throw VmnetError.failed("starting libvirtd: virsh got no answer in 30 s: see \(directory)/log")
        }
    }

    /// Defines NAT networks like vmnet's (its own bridge, a /24 with the gateway at .1, DHCP),
    /// all in one virsh process.
    func define(_ indices: [Int]) throws {
        try virsh(try indices.map { "net-define \(try writeDefinition($0))" }.joined(separator: "; "))
    }

    private func writeDefinition(_ index: Int) throws -> String {
        let prefix = LibvirtDaemon.subnetPrefix(index), name = LibvirtDaemon.name(index)
        let xml = """
            <network>
              <name>\(name)</name>
              <forward mode='nat'/>
              <bridge name='\(name)' stp='off' delay='0'/>
              <ip address='\(prefix).1' netmask='255.255.255.0'>
                <dhcp><range start='\(prefix).2' end='\(prefix).254'/></dhcp>
              </ip>
            </network>

            """
        let path = "\(directory)/\(name).xml"
        try FileSystem.writeAtomically(xml, to: path)
        return path
    }

    /// One virsh process running `commands` chained with `;`.
    @discardableResult
    func virsh(_ commands: String) throws -> ProcessResult {
        try runner.run(["virsh", "-q", "-c", uri, commands]).requireSuccess("virsh \(commands.prefix(40))")
    }

    func timeVirsh(_ commands: [String]) throws -> Double {
        let chained = commands.joined(separator: "; ")
        return try Stopwatch.measure { try virsh(chained) }
    }

    /// Kills libvirtd and its dnsmasqs by pid. Their pid files live in libvirtd's private /run,
    /// reached through its root while it still runs.
    func stop() {
        guard pid > 0 else { return }
        let pidDirectory = "/proc/\(pid)/root/run/libvirt/network"
        let dnsmasqs = FileSystem.list(pidDirectory).filter { $0.hasSuffix(".pid") }.compactMap {
            FileSystem.readIfPresent("\(pidDirectory)/\($0)").flatMap { pid_t($0.filter { !$0.isWhitespace }) }
        }
        for child in dnsmasqs where child > 1 { kill(child, SIGKILL) }
        kill(pid, SIGTERM)
        for _ in 0..<50 where kill(pid, 0) == 0 { usleep(100_000) }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        pid = 0
    }
}
