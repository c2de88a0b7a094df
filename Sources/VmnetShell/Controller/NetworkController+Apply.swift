import VmnetCore

/// `apply` and `plan`: a project file's networks brought about with the commands a user would
/// type (create, set, host, forward, install, destroy), each step undone if a later one fails.
extension NetworkController {
    /// What `apply` would do; reads only.
    public func plan(_ file: ProjectFile, replace: Bool) throws(VmnetError) -> ProjectPlan {
        let records = try store.loadAll()
        var states: [NetworkName: ProjectNetworkState] = [:]
        for record in records where file.networks.contains(where: { $0.name == record.name }) {
            states[record.name] = ProjectNetworkState(
                reservations: try hosts.load(record.name), forwards: try forwards.load(record.name), runtimes: try runtimes.installed(record.name).kinds)
        }
        let catalog = ProfileCatalog(paths: paths)
        return try ProjectPlanner.plan(file, records: records, states: states, replace: replace) { (name) throws(VmnetError) in
            try catalog.load(name).profile
        }
    }

    /// Performs `plan`'s steps in order, reporting each once done. Networks it destroys come
    /// last: nothing before them is lost if a step fails, and everything done is undone.
    public func apply(_ plan: ProjectPlan, replace: Bool, done: (ProjectStep) -> Void) throws(VmnetError) {
        try Revert.run { (revert) throws(VmnetError) in
            for step in plan.steps {
                try perform(step, replace: replace, revert: revert)
                done(step)
            }
        }
    }

    /// The networks of the file an apply made (`up -f`, `down -f`, `destroy -f`).
    public func ownedNetworks(_ file: ProjectFile) throws(VmnetError) -> [NetworkName] {
        try ProjectPlanner.ownedNetworks(file, records: try store.loadAll())
    }

    private func perform(_ step: ProjectStep, replace: Bool, revert: Revert) throws(VmnetError) {
        let name = step.network
        switch step {
        case .create(let request, let settings):
            _ = try create(request, start: false)
            revert.add("destroying '\(name)'") { () throws(VmnetError) in _ = try destroy([name]) }
            if !settings.isEmpty { _ = try set(name, settings: settings, replace: false) }
        case .change(let change):
            _ = try set(name, settings: ProjectPlanner.settings(restoring: change.after, from: change.before), replace: replace)
            revert.add("restoring the settings of '\(name)'") { () throws(VmnetError) in
                _ = try set(name, settings: ProjectPlanner.settings(restoring: change.before, from: change.after), replace: true)
            }
        case .removeForward(_, let forward):
            _ = try removeForward(name, ports: forward.hostSide)
            revert.add("adding forward \(forward.hostSide) of '\(name)' again") { () throws(VmnetError) in
                _ = try addForward(name, ports: forward.hostSide, target: Self.target(of: forward))
            }
        case .addForward(_, let forward):
            _ = try addForward(name, ports: forward.hostSide, target: Self.target(of: forward))
            revert.add("removing forward \(forward.hostSide) of '\(name)'") { () throws(VmnetError) in _ = try removeForward(name, ports: forward.hostSide) }
        case .removeHost(_, let host):
            try removeHost(name, host: host.name)
            revert.add("reserving host \(host.name) of '\(name)' again") { () throws(VmnetError) in
                _ = try addHost(name, host: host.name, mac: host.mac.description, ip: host.ip.description, ip6: host.ip6?.description)
            }
        case .addHost(_, let host):
            _ = try addHost(name, host: host.name, mac: host.mac?.description, ip: host.ip?.description, ip6: host.ip6?.description)
            revert.add("removing host \(host.name) of '\(name)'") { () throws(VmnetError) in try removeHost(name, host: host.name) }
        case .up:
            _ = try up([name])
        case .uninstall(_, let kinds):
            _ = try uninstall(name, kinds: kinds)
            revert.add("installing \(kinds.map(\.rawValue).joined(separator: ", ")) for '\(name)' again") { () throws(VmnetError) in _ = try install(name, kinds: kinds) }
        case .install(_, let kinds):
            _ = try install(name, kinds: kinds)
            revert.add("uninstalling \(kinds.map(\.rawValue).joined(separator: ", ")) of '\(name)'") { () throws(VmnetError) in _ = try uninstall(name, kinds: kinds) }
        case .destroy:
            _ = try destroy([name])
        }
    }

    /// `vmnet forward add`'s TARGET[:PORT].
    private static func target(of forward: PortForward) -> String { forward.target + (forward.targetPort.map { ":\($0)" } ?? "") }
}
