import Glibc
import VmnetCore
import VmnetShell

/// One machine of an `OVNCluster`: a network namespace plus a private mount and UTS namespace
/// (hostname = `name`) kept alive by a holder process, with its own Open vSwitch (userspace
/// datapath) and ovn-controller. Commands run in it with `nsenter --target HOLDER --mount
/// --net --uts`, with OVS_RUNDIR and friends pointing at its files in the sandbox (the same
/// directories are bind-mounted over /run/openvswitch, /etc/openvswitch, … inside).
public final class ClusterHost: @unchecked Sendable {
    public let name: String
    /// The network namespace.
    public let namespace: String
    /// This host's address on the underlay, held by its OVS bridge `br-phy`.
    public let underlayAddress: IPv4Address
    /// Its address towards the fake internet; nil for a host without uplink.
    public let uplinkAddress: IPv4Address?
    public let isCentral: Bool
    /// Its files: OVS and OVN databases, sockets, pid files and logs, vmnet's state.
    public let directory: String
    private let sandbox: Sandbox
    public private(set) var holder: pid_t = 0

    /// The vmnet binary `vmnet(…)` runs.
    public let vmnetBinary: String

    init(name: String, namespace: String, underlayAddress: IPv4Address, uplinkAddress: IPv4Address?, isCentral: Bool, sandbox: Sandbox,
         vmnetBinary: String) {
        self.vmnetBinary = vmnetBinary
        self.name = name
        self.namespace = namespace
        self.underlayAddress = underlayAddress
        self.uplinkAddress = uplinkAddress
        self.isCentral = isCentral
        self.sandbox = sandbox
        directory = sandbox.directory + "/" + name
    }

    /// What OVS, OVN and vmnet read to find this host's daemons and state.
    public var environment: [String: String] {
        [
            "OVS_RUNDIR": directory + "/run/openvswitch", "OVS_DBDIR": directory + "/var/lib/openvswitch",
            "OVS_LOGDIR": directory + "/var/log/openvswitch", "OVS_SYSCONFDIR": directory + "/etc",
            "OVN_RUNDIR": directory + "/run/ovn", "OVN_DBDIR": directory + "/var/lib/ovn",
            "OVN_LOGDIR": directory + "/var/log/ovn", "OVN_SYSCONFDIR": directory + "/etc",
            "VMNET_STATE_DIR": directory + "/vmnet/state", "VMNET_RUN_DIR": directory + "/vmnet/run",
            "VMNET_CONFIG_DIR": directory + "/vmnet/etc", "VMNET_HOOKS_DIR": directory + "/vmnet/hooks",
            "VMNET_NM_CONF_DIR": directory + "/vmnet/NetworkManager/conf.d",
        ]
    }

    // MARK: running things inside

    /// Runs a program inside the host (its network, mount and UTS namespaces).
    @discardableResult
    public func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessResult {
        let assignments = environment.merging(extra) { $1 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try sandbox.runner.run(["nsenter", "--target", "\(holder)", "--mount", "--net", "--uts", "env"] + assignments + arguments)
    }

    /// Runs the vmnet binary under test here, with this host's own vmnet state. OVN_NB_DB is
    /// never set: after `cluster join` vmnet must find NB through its cluster.json.
    @discardableResult
    public func vmnet(_ arguments: String..., environment extra: [String: String] = [:]) throws -> ProcessResult {
        try run([vmnetBinary] + arguments, environment: extra)
    }

    /// `ovs-vsctl` against this host's own OVS database.
    @discardableResult
    public func vsctl(_ arguments: String...) throws -> ProcessResult {
        try run(["ovs-vsctl", "--timeout=10"] + arguments)
    }

    /// This host's own OVS `Open_vSwitch` external_ids (system-id, ovn-remote, …).
    public func openVSwitchExternalIDs() throws -> String {
        try vsctl("get", "open", ".", "external_ids").requireSuccess("reading \(name)'s external_ids").standardOutput
    }

    public func log(_ daemon: String) -> String {
        let file = daemon.hasPrefix("ovs") ? "/var/log/openvswitch/\(daemon).log" : "/var/log/ovn/\(daemon).log"
        return FileSystem.readIfPresent(directory + file) ?? ""
    }

    // MARK: daemons

    /// Starts the holder (private mounts, hostname) and, inside it, every daemon of this host;
    /// returns at once: `waitUntilStarted` waits for it.
    func launch() throws {
        try FileSystem.makeDirectories(directory)
        let holderPath = sandbox.directory + "/cluster-holder.sh"
        let daemonsPath = sandbox.directory + "/cluster-daemons.sh"
        if !FileSystem.exists(holderPath) {
            try FileSystem.writeAtomically(ClusterHost.holderScript, to: holderPath, mode: 0o755)
            try FileSystem.writeAtomically(ClusterHost.daemonsScript, to: daemonsPath, mode: 0o755)
        }
        let started = try sandbox.runner.run([
            "sh", "-c",
            "setsid nsenter --net=/run/netns/\(namespace) unshare -m -u --propagation private sh \(holderPath) \(daemonsArguments.joined(separator: " ")) \(daemonsPath) </dev/null >\(directory)/holder.log 2>&1 & echo $!",
        ]).requireSuccess("starting \(name)'s holder")
        guard let pid = pid_t(started.standardOutput.filter({ !$0.isWhitespace })) else { throw VmnetError.failed("no pid for \(name)'s holder") }
        holder = pid
    }

    func waitUntilStarted() throws {
        let ready = OVNCluster.poll(seconds: 15) { FileSystem.exists(directory + "/ready") || !ClusterHost.isAlive(holder) }
        guard ready && ClusterHost.isAlive(holder) else {
            throw VmnetError.failed("\(name) did not start: \(FileSystem.readIfPresent(directory + "/holder.log") ?? "")")
        }
    }

    private var daemonsArguments: [String] { [directory, name, underlayAddress.description, isCentral ? "central" : "member"] }

    /// Kills this host's OVS and OVN daemons (by their pid files): the host going away, as
    /// far as the others can tell. Its databases stay, as on a machine that powers off.
    func stopDaemons() {
        for pidFile in pidFiles { stop(pidFile: pidFile) }
    }

    /// Starts the daemons again on the databases they left (the host coming back).
    func startDaemons() throws {
        try run(["sh", sandbox.directory + "/cluster-daemons.sh"] + daemonsArguments)
            .requireSuccess("restarting \(name)'s daemons")
    }

    func stopController() { stop(pidFile: directory + "/run/ovn/ovn-controller.pid") }

    func startController() throws {
        try run(["ovn-controller", "unix:\(directory)/run/openvswitch/db.sock", "--pidfile=\(directory)/run/ovn/ovn-controller.pid",
                 "--log-file=\(directory)/var/log/ovn/ovn-controller.log", "--detach"]).requireSuccess("starting ovn-controller on \(name)")
    }

    public var isControllerRunning: Bool { pid(in: directory + "/run/ovn/ovn-controller.pid").map(ClusterHost.isAlive) ?? false }

    /// Every daemon, then the holder; the namespaces go with the sandbox.
    func tearDown() {
        stopDaemons()
        if holder > 0 { kill(holder, SIGKILL) }
        holder = 0
    }

    private var pidFiles: [String] {
        // The controller first, the databases last: nothing reconnects to a dead database.
        ["run/ovn/ovn-controller.pid", "run/ovn/ovn-northd.pid", "run/openvswitch/ovs-vswitchd.pid", "run/ovn/ovnnb_db.pid",
         "run/ovn/ovnsb_db.pid", "run/openvswitch/ovsdb-server.pid"].map { directory + "/" + $0 }
    }

    private func pid(in file: String) -> pid_t? {
        FileSystem.readIfPresent(file).flatMap { pid_t($0.filter { !$0.isWhitespace }) }
    }

    private func stop(pidFile: String) {
        guard let pid = pid(in: pidFile), pid > 1 else { return }
        kill(pid, SIGTERM)
        if !OVNCluster.poll(seconds: 5, until: { !ClusterHost.isAlive(pid) }) { kill(pid, SIGKILL) }
        FileSystem.remove(pidFile)
    }

    /// Alive and not a zombie (the daemons detach; their parent is not this process).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = FileSystem.readIfPresent("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    // MARK: scripts

    /// The holder (arguments: DIR NAME UNDERLAY ROLE DAEMONS_SCRIPT): private mounts over every
    /// directory OVS and OVN use (a tmpfs over /run: /run/openvswitch does not exist on the
    /// machine, and must not be made there), the hostname, the daemons, then it sleeps.
    private static let holderScript = #"""
        #!/bin/sh
        set -e
        dir=$1; name=$2
        hostname "$name"
        mount -t tmpfs -o mode=755 tmpfs /run
        mkdir -p /run/openvswitch /run/ovn
        for d in etc/openvswitch etc/ovn var/lib/openvswitch var/lib/ovn var/log/openvswitch var/log/ovn run/openvswitch run/ovn; do
            mkdir -p "$dir/$d"
            mount --bind "$dir/$d" "/$d"
        done
        mkdir -p "$dir/vmnet"
        printf 'nameserver 198.51.100.2\n' > "$dir/resolv.conf"
        mount --bind "$dir/resolv.conf" /etc/resolv.conf
        sh "$5" "$1" "$2" "$3" "$4"
        touch "$dir/ready"
        exec sleep infinity

        """#

    /// Starts (or restarts, on the databases already there) the host's daemons (arguments: DIR
    /// NAME UNDERLAY ROLE). Userspace tunnelling needs the underlay address on an OVS bridge:
    /// it lives on br-phy, whose port is the underlay veth eth1. ovn-controller starts even
    /// without ovn-remote (it waits for it and already makes br-int, netdev).
    private static let daemonsScript = #"""
        #!/bin/sh
        set -e
        dir=$1; underlay=$3; role=$4
        export OVS_RUNDIR=$dir/run/openvswitch OVS_DBDIR=$dir/var/lib/openvswitch OVS_LOGDIR=$dir/var/log/openvswitch OVS_SYSCONFDIR=$dir/etc
        export OVN_RUNDIR=$dir/run/ovn OVN_DBDIR=$dir/var/lib/ovn OVN_LOGDIR=$dir/var/log/ovn OVN_SYSCONFDIR=$dir/etc
        [ -e "$OVS_DBDIR/conf.db" ] || ovsdb-tool create "$OVS_DBDIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema
        ovsdb-server "$OVS_DBDIR/conf.db" --remote=punix:$OVS_RUNDIR/db.sock --pidfile=$OVS_RUNDIR/ovsdb-server.pid \
            --log-file=$OVS_LOGDIR/ovsdb-server.log --detach
        ovs-vsctl --no-wait init
        ovs-vsctl --no-wait set open . external_ids:ovn-bridge-datapath-type=netdev
        ovs-vswitchd unix:$OVS_RUNDIR/db.sock --disable-system --pidfile=$OVS_RUNDIR/ovs-vswitchd.pid \
            --log-file=$OVS_LOGDIR/ovs-vswitchd.log --detach
        ovs-vsctl --timeout=10 --may-exist add-br br-phy -- set bridge br-phy datapath_type=netdev -- --may-exist add-port br-phy eth1
        ip address replace "$underlay/24" dev br-phy
        ip link set br-phy up
        if [ "$role" = central ]; then
            for db in nb sb; do
                [ -e "$OVN_DBDIR/ovn${db}_db.db" ] || ovsdb-tool create "$OVN_DBDIR/ovn${db}_db.db" /usr/share/ovn/ovn-$db.ovsschema
            done
            ovsdb-server "$OVN_DBDIR/ovnnb_db.db" --remote=punix:$OVN_RUNDIR/ovnnb_db.sock --remote=ptcp:6641:$underlay \
                --pidfile=$OVN_RUNDIR/ovnnb_db.pid --log-file=$OVN_LOGDIR/ovsdb-server-nb.log --unixctl=$OVN_RUNDIR/ovnnb_db.ctl --detach
            ovsdb-server "$OVN_DBDIR/ovnsb_db.db" --remote=punix:$OVN_RUNDIR/ovnsb_db.sock --remote=ptcp:6642:$underlay \
                --pidfile=$OVN_RUNDIR/ovnsb_db.pid --log-file=$OVN_LOGDIR/ovsdb-server-sb.log --unixctl=$OVN_RUNDIR/ovnsb_db.ctl --detach
            ovn-northd --ovnnb-db=unix:$OVN_RUNDIR/ovnnb_db.sock --ovnsb-db=unix:$OVN_RUNDIR/ovnsb_db.sock \
                --pidfile=$OVN_RUNDIR/ovn-northd.pid --log-file=$OVN_LOGDIR/ovn-northd.log --detach
        fi
        ovn-controller unix:$OVS_RUNDIR/db.sock --pidfile=$OVN_RUNDIR/ovn-controller.pid --log-file=$OVN_LOGDIR/ovn-controller.log --detach

        """#
}
