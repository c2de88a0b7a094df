/// What `vmnet set` (and later `apply`) changes in an existing network: the record it
/// saves and, per setting that differs, how a running network gets it. Pure: the subnet
/// allocation it may need comes in as a function.
public struct NetworkChange: Hashable, Sendable {
    public var before: NetworkRecord
    public var after: NetworkRecord
    /// Empty when every setting already has its value: nothing is touched then.
    public var changes: [SettingChange]

    public var isEmpty: Bool { changes.isEmpty }

    /// Everything a running network needs, each once, in `ChangeApplication`'s order. A new
    /// subnet brings the network up anew, which covers every other application.
    public var applications: [ChangeApplication] {
        let all = Set(changes.flatMap(\.applications))
        if all.contains(.readdress) { return [.readdress] }
        return ChangeApplication.allCases.filter { all.contains($0) && $0 != .recordOnly }
    }

    /// Applies `settings` to `record` in order (a later value of a key wins). A subnet
    /// changes only with `replace`; `allocate` chooses it (nil: a fresh free one) and checks
    /// collisions as create does.
    public static func plan(
        _ record: NetworkRecord, settings: [NetworkSetting], replace: Bool,
        allocate: (IPv4Subnet?) throws(VmnetError) -> IPv4Subnet
    ) throws(VmnetError) -> NetworkChange {
        if settings.contains(where: { $0.key == "subnet" }) && !replace {
            throw .invalid("setting subnet of '\(record.name)': guests lose their addresses: add --replace to move the network to a new subnet")
        }
        var after = record
        for setting in settings {
            switch setting {
            case .leaseTime(let time): after.leaseTime = time
            case .dnsUpstream(let upstream): after.dnsUpstream = upstream
            case .isolation(let flag): after.isolation = flag
            case .autostart(let flag): after.autostart = flag
            case .hostAccess(let policy): after.hostAccess = policy
            case .egress(let policy): after.egress = policy
            case .mtu(let mtu):
                // 1500 is also what no MTU means: a record without one stays without one.
                after.mtu = mtu == 1500 && record.mtu == nil ? nil : mtu
            case .subnet(let wanted):
                if let wanted, wanted == record.subnet { continue }
                let subnet = try allocate(wanted)
                after.subnet = subnet
                after.planOffsets = subnet.prefixLength == record.subnet.prefixLength
                    ? record.planOffsets : .proportional(prefixLength: subnet.prefixLength)
            default:
                apply(option: setting, to: &after)
            }
        }
        try checkOptions(after)
        return NetworkChange(before: record, after: after, changes: differences(record, after))
    }

    /// The subnet `--replace` moves `record` to: `wanted` checked as create checks it
    /// (ignoring what the network itself holds now), or a fresh free one of its profile's
    /// pools, never the current one.
    public static func replacementSubnet(
        for record: NetworkRecord, wanted: IPv4Subnet?, profile: Profile, host: HostSnapshot, others: [NetworkRecord]
    ) throws(VmnetError) -> IPv4Subnet {
        if let wanted, !(Profile.minimumPrefixLength...Profile.maximumPrefixLength).contains(wanted.prefixLength) {
            throw .invalid("setting subnet \(wanted): use a prefix length from /\(Profile.minimumPrefixLength) to /\(Profile.maximumPrefixLength)")
        }
        var claimed = host
        if wanted != nil {
            // The bridge's own address and route go with the old subnet: a new subnet may overlap them.
            claimed.addresses.removeAll { $0.interface == record.bridge }
            claimed.routes.removeAll { $0.device == record.bridge }
        }
        let existing = wanted == nil ? others + [record] : others
        return try NetworkPlanner.choose(
            wanted, option: "subnet", pools: profile.pools, prefixLength: profile.prefixLength,
            request: CreateRequest(name: record.name), profile: profile, host: claimed, existing: existing)
    }

    /// The settings that differ between two records, with how each is applied. Lease time,
    /// upstream servers and the DHCP MTU option are lines of dnsmasq's main configuration,
    /// which SIGHUP does not re-read (measured with dnsmasq 2.90: a client renewing after a
    /// SIGHUP still got the old lease time, after a restart the new one). Option 26 from a
    /// `dhcp-optsfile` (re-read on SIGHUP) reached no udhcpc client in three tries (`26,9000`,
    /// `option:mtu,9000`, `force:option:mtu,1400`), so the MTU restarts dnsmasq too.
    static func differences(_ before: NetworkRecord, _ after: NetworkRecord) -> [SettingChange] {
        var changes: [SettingChange] = []
        if before.leaseTime != after.leaseTime {
            changes.append(SettingChange(key: "lease_time", from: before.leaseTime, to: after.leaseTime, applications: [.dnsmasqRestart]))
        }
        if before.dnsUpstream != after.dnsUpstream {
            changes.append(SettingChange(
                key: "dns_upstream", from: describe(before.dnsUpstream), to: describe(after.dnsUpstream), applications: [.dnsmasqRestart]))
        }
        if before.effectiveMTU != after.effectiveMTU {
            changes.append(SettingChange(
                key: "mtu", from: String(before.effectiveMTU), to: String(after.effectiveMTU), applications: [.bridgeMTU, .dnsmasqRestart]))
        }
        if before.isolation != after.isolation {
            changes.append(SettingChange(key: "isolation", from: String(before.isolation), to: String(after.isolation), applications: [.firewallRules]))
        }
        if before.autostart != after.autostart {
            // Read only by `up --all` at boot: nothing running changes.
            changes.append(SettingChange(key: "autostart", from: String(before.autostart), to: String(after.autostart), applications: [.recordOnly]))
        }
        if before.hostAccess != after.hostAccess {
            changes.append(SettingChange(key: "host_access", from: before.hostAccess.description, to: after.hostAccess.description, applications: [.firewallRules]))
        }
        if before.egress != after.egress {
            // A host-only network forwards nothing whatever it says: recorded for a later mode.
            changes.append(SettingChange(
                key: "egress", from: before.egress.description, to: after.egress.description, applications: [before.mode == .nat ? .firewallRules : .recordOnly]))
        }
        if before.subnet != after.subnet {
            changes.append(SettingChange(key: "subnet", from: before.subnet.description, to: after.subnet.description, applications: [.readdress]))
        }
        return changes + optionDifferences(before, after)
    }

    /// As `vmnet set` takes it: "auto", "none" or the servers separated by commas.
    static func describe(_ upstream: DNSUpstream) -> String {
        switch upstream {
        case .auto: return "auto"
        case .servers(let servers): return servers.isEmpty ? "none" : servers.map(\.description).joined(separator: ",")
        }
    }
}
