import VmnetCore

/// What `list` and `show` report.
extension NetworkController {
    public func status(_ names: [NetworkName]?) throws(VmnetError) -> [NetworkStatus] {
        // `list` shows broken networks itself: no warning about them here.
        let all = try store.loadAll()
        return try doctorProbe.statuses((names == nil ? all : try select(names)).sorted { $0.name < $1.name }, all: all).map { status in
            var status = status
            status.ports = guestPorts(status.record)
            return status
        }
    }

    /// The record of a network; an error names what is wrong when there is none or it is damaged.
    public func record(_ name: NetworkName) throws(VmnetError) -> NetworkRecord { try store.require(name) }

    /// The networks whose record cannot be read.
    public func brokenNetworks() -> [BrokenNetwork] { store.broken() }

    /// What vmnet installed for the network's runtimes, as recorded.
    public func installedRuntimes(_ name: NetworkName) throws(VmnetError) -> InstalledRuntimes { try runtimes.installed(name) }

    /// Each installed runtime file: present, missing or changed by someone else.
    public func runtimeFiles(_ record: NetworkRecord) throws(VmnetError) -> [RuntimeFileStatus] { try runtimes.check(record) }

    /// Whether systemd-resolved resolves the networks' names on the host.
    public var hostResolverIsRunning: Bool { resolved.isRunning }
}
