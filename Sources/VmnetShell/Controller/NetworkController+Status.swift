import VmnetCore

/// What `list` and `show` report.
extension NetworkController {
    public func status(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkStatus] {
        // `list` shows broken networks itself: no warning about them here.
        let all = try store.loadAll()
        return try statuses(of: names == nil ? all : try select(names), all: all)
    }

    /// Every network's status and the networks whose record cannot be read, from one read of
    /// the records (`list`: reading them twice cost 10 M instructions with 50 networks).
    public func statusOfAll() throws(VmnetError) -> (statuses: [NetworkStatus], broken: [BrokenNetwork]) {
        let scanned = store.scan()
        return (try statuses(of: scanned.records, all: scanned.records), scanned.broken)
    }

    private func statuses(of records: [NetworkRecord], all: [NetworkRecord]) throws(VmnetError) -> [NetworkStatus] {
        try doctorProbe.statuses(records.sorted { $0.name < $1.name }, all: all).map { status in
            var status = status
            status.ports = guestPorts(status.record)
            return status
        }
    }

    /// The record of a network; an error names what is wrong when there is none or it is damaged.
    public func record(_ name: NetworkName) throws(VmnetError) -> NetworkRecord { try store.require(name) }

    /// What vmnet installed for the network's runtimes, as recorded.
    public func installedRuntimes(_ name: NetworkName) throws(VmnetError) -> InstalledRuntimes { try runtimes.installed(name) }

    /// Each installed runtime file: present, missing or changed by someone else.
    public func runtimeFiles(_ record: NetworkRecord) throws(VmnetError) -> [RuntimeFileStatus] { try runtimes.check(record) }

    /// Whether systemd-resolved resolves the networks' names on the host.
    public var hostResolverIsRunning: Bool { resolved.isRunning }
}
