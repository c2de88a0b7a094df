/// What `vmnet apply` must do to bring the host to a project file: pure, from the file, the
/// networks' records, what each holds, and their profiles.
///
/// A key the file leaves out means the profile's value (or none, for DHCP options and DNS
/// records), so deleting a line from the file undoes it at the next apply. Subnets are the
/// exception: one vmnet chose stays, as it would with `vmnet set`.
public enum ProjectPlanner {
    public static let defaultProfile = "nat"

    public static func plan(
        _ file: ProjectFile, records: [NetworkRecord], states: [NetworkName: ProjectNetworkState], replace: Bool,
        profile: (String) throws(VmnetError) -> Profile
    ) throws(VmnetError) -> ProjectPlan {
        var steps: [ProjectStep] = []
        for network in file.networks {
            let wanted = try profile(network.profile ?? defaultProfile)
            if wanted.engine != .bridge {
                throw .invalid("networks.\(network.key).profile: '\(wanted.name)' makes cluster networks, which project files do not declare yet: use a single-host profile, or 'vmnet create --cluster'")
            }
            guard let record = records.first(where: { $0.name == network.name }) else {
                if network.ipv6 == true, network.subnet6 == nil, wanted.ipv6 == .off {
                    throw .invalid("networks.\(network.key).ipv6: profile '\(wanted.name)' gives no IPv6: add subnet6, or use a profile with IPv6")
                }
                steps += creation(of: network, owner: file.owner)
                continue
            }
            try requireOwned(record, by: file, key: network.key)
            try requireSameShape(record, network)
            let state = states[record.name] ?? ProjectNetworkState()
            // The subnet only when it differs: naming it asks for --replace.
            let moved = network.subnet.flatMap { $0 == record.subnet ? nil : [NetworkSetting.subnet($0)] } ?? []
            let settings = defaults(try profile(record.profile)) + network.settings + moved
            // Only the file's own subnet reaches the closure; `vmnet set` checks it against the host when applying.
            let change = try NetworkChange.plan(record, settings: settings, replace: replace) { (wanted) throws(VmnetError) in wanted ?? record.subnet }
            if !change.isEmpty { steps.append(.change(change)) }
            steps += partsChanges(network, state: state)
        }
        let names = Set(file.networks.map(\.name))
        for record in records.sorted(by: { $0.name < $1.name }) where record.owner?.file == file.path && !names.contains(record.name) {
            steps.append(.destroy(record.name))
        }
        return ProjectPlan(file: file, steps: steps)
    }

    /// The networks an earlier apply of `file` made that still exist, whether the file still
    /// has them or not (`down -f`, `destroy -f`); a network of the file's names made otherwise
    /// is refused.
    public static func ownedNetworks(_ file: ProjectFile, records: [NetworkRecord]) throws(VmnetError) -> [NetworkName] {
        for network in file.networks {
            if let record = records.first(where: { $0.name == network.name }) { try requireOwned(record, by: file, key: network.key) }
        }
        return records.filter { $0.owner?.file == file.path }.map(\.name).sorted()
    }

    private static func creation(of network: ProjectNetwork, owner: ProjectOwner) -> [ProjectStep] {
        var request = CreateRequest(name: network.name, profile: network.profile, subnet: network.subnet)
        request.subnet6 = network.subnet6
        request.noIPv6 = network.ipv6 == false
        request.owner = owner
        var steps: [ProjectStep] = [.create(request, settings: network.settings)]
        steps += network.hosts.map { .addHost(network.name, $0) }
        steps += network.forwards.map { .addForward(network.name, $0) }
        steps.append(.up(network.name))
        if !network.install.isEmpty { steps.append(.install(network.name, network.install)) }
        return steps
    }

    /// Forwards go before the hosts they may point at, and come back after them.
    private static func partsChanges(_ network: ProjectNetwork, state: ProjectNetworkState) -> [ProjectStep] {
        var steps: [ProjectStep] = []
        steps += state.forwards.filter { !network.forwards.contains($0) }.map { .removeForward(network.name, $0) }
        let stale = state.reservations.filter { reservation in !network.hosts.contains { $0.isSatisfied(by: reservation) } }
        steps += stale.map { .removeHost(network.name, $0) }
        let kept = state.reservations.filter { !stale.contains($0) }
        steps += network.hosts.filter { host in !kept.contains { host.isSatisfied(by: $0) } }.map { .addHost(network.name, $0) }
        steps += network.forwards.filter { !state.forwards.contains($0) }.map { .addForward(network.name, $0) }
        let extra = state.runtimes.filter { !network.install.contains($0) }
        if !extra.isEmpty { steps.append(.uninstall(network.name, extra)) }
        let missing = network.install.filter { !state.runtimes.contains($0) }
        if !missing.isEmpty { steps.append(.install(network.name, missing)) }
        return steps
    }

    private static func requireOwned(_ record: NetworkRecord, by file: ProjectFile, key: String) throws(VmnetError) {
        guard record.owner?.file != file.path else { return }
        let maker = record.owner.map { "by \($0)" } ?? "by hand"
        throw .conflict("networks.\(key): network '\(record.name)' exists and was made \(maker), not by \(file.path): rename '\(key)' in the file, or 'vmnet destroy \(record.name)' first")
    }

    /// What only `create` decides cannot change in place.
    private static func requireSameShape(_ record: NetworkRecord, _ network: ProjectNetwork) throws(VmnetError) {
        var differences: [String] = []
        if let profile = network.profile, profile != record.profile { differences.append("profile \(record.profile), the file says \(profile)") }
        if let subnet6 = network.subnet6, subnet6 != record.subnet6 {
            differences.append("subnet6 \(record.subnet6.map(\.description) ?? "none"), the file says \(subnet6)")
        }
        if network.ipv6 == false, let subnet6 = record.subnet6 { differences.append("IPv6 (\(subnet6)), the file says ipv6: false") }
        if network.ipv6 == true, record.subnet6 == nil { differences.append("no IPv6, the file says ipv6: true") }
        guard !differences.isEmpty else { return }
        throw .conflict("networks.\(network.key): '\(record.name)' has \(differences.joined(separator: "; ")): that cannot change in place: remove the network from the file and apply, then add it back (its guests lose their addresses)")
    }

    /// Every in-place setting at `record`'s value: what brings a network now at `current` to
    /// it (an apply that failed half way restores the networks it had changed with these).
    /// The subnet only when it differs: naming it asks for `--replace`.
    public static func settings(restoring record: NetworkRecord, from current: NetworkRecord) -> [NetworkSetting] {
        (record.subnet == current.subnet ? [] : [.subnet(record.subnet)]) + inPlaceSettings(
            leaseTime: record.leaseTime, dnsUpstream: record.dnsUpstream, mtu: record.effectiveMTU, isolation: record.isolation,
            autostart: record.autostart, hostAccess: record.hostAccess, egress: record.egress,
            dhcp: record.dhcpOptions, dnsRecords: record.dnsRecords)
    }

    /// Every in-place setting at its profile's value, or none.
    static func defaults(_ profile: Profile) -> [NetworkSetting] {
        inPlaceSettings(
            leaseTime: profile.leaseTime, dnsUpstream: profile.dnsUpstream, mtu: profile.mtu ?? 1500, isolation: profile.isolation,
            autostart: true, hostAccess: profile.hostAccess, egress: profile.egress,
            dhcp: DHCPOptions(), dnsRecords: [])
    }

    /// The one list of what `vmnet set` changes in place: a key added here is both restored
    /// after a failed apply and reset to its profile's value when the file drops it.
    private static func inPlaceSettings(
        leaseTime: String, dnsUpstream: DNSUpstream, mtu: Int, isolation: Bool, autostart: Bool,
        hostAccess: HostAccessPolicy, egress: EgressPolicy, dhcp: DHCPOptions, dnsRecords: [DNSRecord]
    ) -> [NetworkSetting] {
        [
            .leaseTime(leaseTime), .dnsUpstream(dnsUpstream), .mtu(mtu), .isolation(isolation),
            .autostart(autostart), .hostAccess(hostAccess), .egress(egress),
            .dhcpRoutes(dhcp.routes), .dhcpNTP(dhcp.ntp), .dhcpSearch(dhcp.search),
            .dhcpBoot(dhcp.bootFile), .tftpRoot(dhcp.tftpRoot),
            .dhcpNextServer(dhcp.nextServer), .dhcpExtraOptions(dhcp.extra), .dnsRecords(dnsRecords),
        ]
    }
}
