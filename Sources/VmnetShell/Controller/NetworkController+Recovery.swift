import Glibc
import VmnetCore

/// Finishing or undoing a command that was killed, when the next one takes the lock.
extension NetworkController {
    /// Runs the plan of `RecoveryPlanner` for a journal left behind. A step that fails is a
    /// warning, and the journal stays for the next command to try again.
    func recover(_ journal: IntentJournal) {
        guard let found = journal.read() else {
            journal.sweepTemporaries()
            return
        }
        var intent: Intent?
        switch found {
        case .success(let read): intent = read
        case .failure(let error): warnings.add("finishing a killed command: \(error.message): cleaning up from the records alone")
        }
        var failures: [String] = []
        for action in RecoveryPlanner.plan(intent, observeForRecovery()) {
            do { try perform(action) } catch { failures.append("\(action): \(error.message)") }
        }
        if failures.isEmpty {
            journal.remove()
        } else {
            warnings.add("finishing a killed '\(intent?.command.rawValue ?? "command")': \(failures.joined(separator: "; ")): the next command tries again")
        }
    }

    /// For the commands that only read (`list`, `show`, `doctor`): one line when a killed
    /// command's journal waits for the next changing command, nil when there is none or a
    /// command is running (its journal is no news). The journal is read holding the lock
    /// shared, so a command cannot start or end between the look at the lock and the read.
    public func pendingRecovery() -> String? {
        let journal = IntentJournal(paths: paths)
        guard FileSystem.exists(journal.path) else { return nil }
        return FileLock.unlessHeld(paths.lockFile) { journal.read().map(PendingRecovery.notice) } ?? nil
    }

    private func observeForRecovery() -> RecoveryObservation {
        let scan = store.scan()
        let stateNames = FileSystem.list(paths.networksDirectory).filter { FileSystem.isDirectory(paths.networksDirectory + "/" + $0) }
        let runNames = FileSystem.list(paths.runDirectory).filter { FileSystem.isDirectory(paths.runDirectory + "/" + $0) }
        func temporary(in directory: String) -> [String] {
            FileSystem.list(directory).filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }.map { directory + "/" + $0 }
        }
        var temporaryFiles = temporary(in: paths.stateDirectory)
        var empty: Set<String> = []
        for name in stateNames {
            let directory = paths.networksDirectory + "/" + name
            let leftovers = temporary(in: directory)
            temporaryFiles += leftovers
            if FileSystem.list(directory).count == leftovers.count { empty.insert(name) }
        }
        for name in runNames { temporaryFiles += temporary(in: paths.runDirectory + "/" + name) }
        var firewallBridges: [FirewallKind: Set<String>] = [:]
        for (kind, backend) in firewalls where backend.isAvailable { firewallBridges[kind] = backend.installedBridges() }
        var processes: [Int32: String] = [:]
        for pid in self.processes.pids() {
            guard let name = dnsmasqNetwork(of: pid) else { continue }
            processes[pid] = name
        }
        var pidFiles: [String: Int32] = [:]
        for name in runNames {
            let text = FileSystem.readIfPresent(paths.runDirectory + "/" + name + "/dnsmasq.pid") ?? ""
            if let pid = Int32(text.filter { !$0.isWhitespace }) { pidFiles[name] = pid }
        }
        return RecoveryObservation(
            records: scan.records, brokenNetworks: Set(scan.broken.map(\.name)),
            interfaces: (try? host.interfaces().interfaces) ?? [], stateDirectories: Set(stateNames),
            runDirectories: Set(runNames), emptyStateDirectories: empty, temporaryFiles: temporaryFiles, firewallBridges: firewallBridges,
            dnsmasqProcesses: processes, dnsmasqPidFiles: pidFiles)
    }

    /// The network whose configuration in vmnet's run directory the process runs, if it is such a dnsmasq.
    private func dnsmasqNetwork(of pid: Int32) -> String? {
        guard let arguments = processes.arguments(of: pid) else { return nil }
        let prefix = "--conf-file=" + paths.runDirectory + "/"
        for argument in arguments where argument.hasPrefix(prefix) && argument.hasSuffix("/dnsmasq.conf") {
            let name = argument.dropFirst(prefix.count).dropLast("/dnsmasq.conf".count)
            if !name.isEmpty && !name.contains("/") { return String(name) }
        }
        return nil
    }

    private func perform(_ action: RecoveryAction) throws(VmnetError) {
        switch action {
        case .destroy(let name):
            _ = try destroyLocked([name])
        case .bringUp(let name):
            try bringUp([try store.require(name)])
        case .bringDown(let name):
            try bringDown([try store.require(name)])
        case .stopDnsmasq(let name):
            dnsmasq.stop([DnsmasqFiles(runDirectory: paths.runDirectory + "/" + name, stateDirectory: paths.networksDirectory + "/" + name)])
        case .killDnsmasq(let pid, let name):
            // The pid may have been recycled since the scan: only the same command line is signalled.
            guard dnsmasqNetwork(of: pid) == name else { return }
            _ = processes.signal(pid, SIGTERM)
            for _ in 0..<400 where processes.isRunning(pid) { usleep(1_000) }
            if processes.isRunning(pid) { _ = processes.signal(pid, SIGKILL) }
        case .removeRunDirectory(let name):
            FileSystem.removeTree(paths.runDirectory + "/" + name)
        case .deleteLinks(let names):
            try links.apply(names.map { .setGroup(name: $0, group: LinkPlanner.deletionGroup) } + [.deleteGroup(LinkPlanner.deletionGroup)])
        case .rebuildFirewall(let kind):
            guard let backend = firewalls[kind] else { return }
            let records = try store.loadAll()
            // The rebuild keeps the recorded networks' port forwards.
            let held = try forwards.resolved(records.filter(\.enabled), skippingDamaged: { warnings.add("\($0.message): its forwards are off") })
            try backend.apply(.rebuild(kind, records: records, forwards: held))
        case .republishHosts(let name):
            let record = try store.require(name)
            try publish(record, try hosts.load(name), force: true)
        case .removeFile(let path):
            FileSystem.remove(path)
        case .removeStateDirectory(let name):
            rmdir(paths.networksDirectory + "/" + name)
        }
    }
}
