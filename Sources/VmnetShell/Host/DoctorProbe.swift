import Glibc
import JSON
import VmnetCore

/// Reads what `vmnet doctor`, `show` and `list` judge: the host once (interfaces, routes,
/// sockets, the firewall tables, forwarding), then each network's parts from /proc and /sys,
/// spawning no process per network. The verdicts themselves are `NetworkDiagnosis`'s.
public struct DoctorProbe: Sendable {
    /// A network and what was read of the host (iptables-save, the nft table, sockets…).
    public typealias Source = @Sendable (NetworkRecord, HostObservation) -> [DoctorFinding]

    public let paths: Paths
    public let runner: CommandRunner
    /// Every file, directory and link it reads: /proc, /sys, the state directories.
    public let host: HostAccess
    public let probe: HostProbe
    public let dnsmasq: DnsmasqSupervisor
    public let runtimes: RuntimeInstaller
    public let forwarding: IPForwarding
    public let ipv6Forwarding: IPv6Forwarding
    /// Findings from other parts of vmnet, after each network's own checks. Adding a
    /// source of findings (firewall coexistence, the host resolver, the bridge's fixed MAC)
    /// is one line here. They run for `show` and `list` too (a failure makes a network
    /// degraded): spawn nothing per network.
    public let sources: [Source]

    public init(paths: Paths, runner: CommandRunner, host: HostAccess, probe: HostProbe, dnsmasq: DnsmasqSupervisor, runtimes: RuntimeInstaller,
                forwarding: IPForwarding, ipv6Forwarding: IPv6Forwarding) {
        self.paths = paths
        self.runner = runner
        self.host = host
        self.probe = probe
        self.dnsmasq = dnsmasq
        self.runtimes = runtimes
        self.forwarding = forwarding
        self.ipv6Forwarding = ipv6Forwarding
        sources = []
    }

    /// Every finding for `records`, network by network; `all` is every recorded network.
    public func findings(_ records: [NetworkRecord], all: [NetworkRecord]) throws(VmnetError) -> [DoctorFinding] {
        try evaluate(records, all: all, thorough: true).findings.flatMap { $0 }
    }

    /// `show` and `list`: the three parts they always reported, and every doctor verdict.
    public func statuses(_ records: [NetworkRecord], all: [NetworkRecord]) throws(VmnetError) -> [NetworkStatus] {
        let (host, observed, findings) = try evaluate(records, all: all, thorough: false)
        return zip(records, zip(observed, findings)).map { record, seen in
            let (observation, verdicts) = seen
            let firewall = verdicts.first { $0.check == NetworkDiagnosis.Check.firewall.rawValue }
            return NetworkStatus(
                record: record,
                bridgePresent: observation.bridgePresent,
                dnsmasqPid: observation.dnsmasqRunning ? observation.pidFilePid : nil,
                firewallPresent: record.enabled ? firewall?.status == .ok : leftoverRules(record, host),
                findings: verdicts)
        }
    }

    private func evaluate(_ records: [NetworkRecord], all: [NetworkRecord], thorough: Bool) throws(VmnetError)
        -> (HostObservation, [NetworkObservation], findings: [[DoctorFinding]])
    {
        let above = accessChain(paths.networksDirectory)
        let observed = records.map { observe($0, above: above, ports: thorough) }
        var running: [NetworkName: pid_t] = [:]
        for (record, observation) in zip(records, observed) where observation.dnsmasqRunning {
            running[record.name] = observation.pidFilePid
        }
        let judged = Set(records.map(\.name))
        for record in all where !judged.contains(record.name) {
            running[record.name] = dnsmasq.runningPid(paths.dnsmasqFiles(of: record.name))
        }
        // A network whose record cannot be read still has its dnsmasq: vmnet's own, not foreign.
        for entry in host.list(paths.networksDirectory) {
            guard let name = try? NetworkName(entry), running[name] == nil, !all.contains(where: { $0.name == name }) else { continue }
            running[name] = dnsmasq.runningPid(paths.dnsmasqFiles(of: name))
        }
        let host = try observeHost(all, dnsmasqPids: running, thorough: thorough)
        let verdicts = NetworkDiagnosis.findings(for: records, observed: observed, host: host, networks: all)
        return (host, observed, zip(records, verdicts).map { record, findings in findings + sources.flatMap { $0(record, host) } })
    }

    // MARK: one network

    /// `above`: the access chain of the networks directory, the same for every network.
    /// `ports`: list the bridge's ports (doctor; their check never fails, so `list` skips it).
    public func observe(_ record: NetworkRecord, above: [FileAccess?]? = nil, ports: Bool = true) -> NetworkObservation {
        let files = paths.dnsmasqFiles(of: record.name)
        let sys = "/sys/class/net/\(record.bridge)"
        // The flags file exists exactly when the link does (cheaper than if_nametoindex's socket).
        let flags = host.readIfPresent(sys + "/flags").flatMap { UInt32($0.filter(\.isHexDigit), radix: 16) }
        let running = dnsmasq.runningPid(files)
        var installed = InstalledRuntimes()
        var runtimesProblem: String?
        do { installed = try runtimes.installed(record.name) } catch { runtimesProblem = error.message }
        var runtimeFiles: [(kind: RuntimeKind, path: String, present: Bool)] = []
        if let file = installed.podmanFile { runtimeFiles.append((.podman, file, host.exists(file))) }
        if let file = installed.cniFile { runtimeFiles.append((.cni, file, host.exists(file))) }
        if let libvirt = installed.libvirt { runtimeFiles.append((.libvirt, libvirt.xmlFile, host.exists(libvirt.xmlFile))) }
        let above = above ?? accessChain(paths.networksDirectory)
        let directory = paths.stateDirectory(of: record.name)
        let own = [host.status(of: directory)]
        return NetworkObservation(
            bridgePresent: flags != nil,
            bridgeUp: (flags ?? 0) & UInt32(IFF_UP) != 0,
            ports: flags == nil || !ports ? [BridgeNamer.keeperPort(for: record.bridge).port] : host.list(sys + "/brif"),
            pidFilePid: running ?? host.readIfPresent(files.pidFile).flatMap { Int32($0.filter { !$0.isWhitespace }) },
            dnsmasqRunning: running != nil,
            hostListPaths: [files.dhcpHostsFile, files.addnHostsFile].map { above + own + [host.status(of: $0)] },
            runtimeFiles: runtimeFiles, runtimesProblem: runtimesProblem,
            linkLocal6Present: flags != nil && ports && record.hasIPv6
                ? host.readIfPresent("/proc/net/if_inet6").map { ProcIfInet6.has(BridgeMAC.linkLocal(for: record.name), on: record.bridge, in: $0) } : nil)
    }

    /// Every directory from / down to the path, then the path; nil where nothing exists.
    private func accessChain(_ path: String) -> [FileAccess?] {
        var prefixes: [String] = []
        var current = path
        while current != "/" && !current.isEmpty {
            prefixes.insert(current, at: 0)
            current = FileSystem.parent(of: current)
        }
        return prefixes.map(host.status(of:))
    }

    /// Whether a network that is down still has rules (what `down` failed to remove).
    private func leftoverRules(_ record: NetworkRecord, _ host: HostObservation) -> Bool {
        switch record.firewall {
        case .nftables: return host.nftTable?.elements[NftRuleset.SetName.ownTraffic.rawValue]?.contains("\"\(record.bridge)\" . \"\(record.bridge)\"") ?? false
        case .iptables: return host.iptablesSave?.contains("-A VMNET-FORWARD -i \(record.bridge) -o \(record.bridge) -j ACCEPT") ?? false
        }
    }

    // MARK: the host, once

    /// `thorough` (doctor) reads routes of every table and other tools' network files, like
    /// allocation; `list` and `show` read the main table from /proc, spawning nothing.
    private func hostSnapshot(thorough: Bool) throws(VmnetError) -> HostSnapshot {
        if thorough {
            var snapshot = try probe.snapshot(forAllocation: true)
            snapshot.rules = try probe.rules()
            return snapshot
        }
        let (interfaces, addresses, addresses6) = try probe.host.addressTable()
        return HostSnapshot(
            routes: ProcNetRoute.routes(host.readIfPresent("/proc/net/route") ?? ""), addresses: addresses, interfaces: interfaces,
            addresses6: addresses6)
    }

    private func observeHost(_ all: [NetworkRecord], dnsmasqPids: [NetworkName: pid_t], thorough: Bool) throws(VmnetError) -> HostObservation {
        var sockets = SocketEntry.parse(host.readIfPresent("/proc/net/udp") ?? "", proto: .udp, ports: [53, 67])
            + SocketEntry.parse(host.readIfPresent("/proc/net/tcp") ?? "", proto: .tcp, ports: [53, 67])
        var dnsmasqSockets: [NetworkName: Set<UInt64>]? = nil
        var seesAll = true
        var foreign: Set<UInt64> = []
        if thorough {
            var owned: [NetworkName: Set<UInt64>] = [:]
            for (name, pid) in dnsmasqPids {
                if let inodes = socketInodes(of: pid) { owned[name] = inodes } else { seesAll = false }
            }
            let vmnet = owned.values.reduce(into: Set<UInt64>()) { $0.formUnion($1) }
            foreign = Set(sockets.filter { $0.isWildcard && $0.isListening && [53, 67].contains($0.port) && !vmnet.contains($0.inode) }.map(\.inode))
            dnsmasqSockets = owned
            let elsewhere = boundElsewhere(foreign, vmnetBridges: Set(all.map(\.bridge)))
            foreign.subtract(elsewhere)
            sockets.removeAll { elsewhere.contains($0.inode) }
        }
        let user = host.account("nobody")
        var observation = HostObservation(
            host: try hostSnapshot(thorough: thorough),
            sockets: sockets,
            dnsmasqSockets: dnsmasqSockets,
            runningDnsmasqs: dnsmasqPids.count,
            seesAllSockets: seesAll,
            socketOwners: foreign.isEmpty || !seesAll ? [:] : owners(of: foreign),
            ipForwarding: forwarding.isOn,
            ipv6Forwarding: ipv6Forwarding.isOn,
            nftTable: all.contains { $0.firewall == .nftables } ? nftTable() : nil,
            iptablesSave: all.contains { $0.firewall == .iptables } ? try? runner.run(["iptables-save"]).standardOutput : nil,
            dnsmasqUser: ("nobody", user?.uid ?? 65534, user?.gid ?? 65534))
        if all.contains(where: { $0.firewall == .iptables && $0.hasIPv6 }) {
            observation.ip6tablesSave = try? runner.run([IptablesFirewall.ip6tables(on: host).save]).standardOutput
        }
        return observation
    }

    func nftTable() -> NftTableState? {
        guard host.executable("nft") != nil,
            let result = try? runner.run(["nft", "-j", "list", "table", "inet", "vmnet"]), result.succeeded,
            let json = try? JSONCodec.parse(result.standardOutput, source: "nft -j list table inet vmnet")
        else { return nil }
        return NftTableState(json: json)
    }

    /// Of the `foreign` wildcard sockets, those bound to an interface that is not a vmnet
    /// bridge (libvirt's dnsmasq on virbr0): they take nothing meant for vmnet. One `ss`, and
    /// only when some other process holds a wildcard socket.
    private func boundElsewhere(_ foreign: Set<UInt64>, vmnetBridges: Set<String>) -> Set<UInt64> {
        guard !foreign.isEmpty, host.executable("ss") != nil,
            let listed = try? runner.run(["ss", "-H", "-l", "-n", "-e", "-u", "-t", "( sport = :53 or sport = :67 )"]), listed.succeeded
        else { return [] }
        let devices = SocketDeviceBinding.devices(ssOutput: listed.standardOutput)
        return foreign.filter { inode in devices[inode].map { !vmnetBridges.contains($0) } ?? false }
    }

    /// The inodes of the sockets a process holds (/proc/PID/fd links read `socket:[INODE]`);
    /// nil when its descriptors cannot be read.
    private func socketInodes(of pid: pid_t) -> Set<UInt64>? {
        let directory = "/proc/\(pid)/fd"
        guard let entries = host.entries(of: directory) else { return nil }
        var inodes: Set<UInt64> = []
        for entry in entries {
            if let target = host.readLink(directory + "/" + entry), target.hasPrefix("socket:["), let inode = UInt64(target.dropFirst(8).dropLast()) {
                inodes.insert(inode)
            }
        }
        return inodes
    }

    /// "COMMAND, pid N" for each socket inode, searching every process (only when a
    /// foreign wildcard listener exists, which is rare).
    private func owners(of inodes: Set<UInt64>) -> [UInt64: String] {
        var owners: [UInt64: String] = [:]
        for entry in host.list("/proc") {
            guard let pid = pid_t(entry) else { continue }
            guard let held = socketInodes(of: pid)?.intersection(inodes), !held.isEmpty else { continue }
            let command = host.readIfPresent("/proc/\(pid)/comm")?.filter { !$0.isNewline } ?? "?"
            for inode in held where owners[inode] == nil { owners[inode] = "\(command), pid \(pid)" }
        }
        return owners
    }
}
