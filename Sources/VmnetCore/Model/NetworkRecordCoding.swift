import JSON

/// The record's on-disk JSON form, and reading it back.
public enum NetworkRecordCoding {
    public static let formatVersion = 2

    public static func encode(_ record: NetworkRecord) -> JSONValue {
        var object: JSONObject = [
            "version": JSONValue(formatVersion),
            "name": .string(record.name.value),
            "profile": .string(record.profile),
            "mode": .string(record.mode.rawValue),
            "subnet": .string(record.subnet.description),
            "subnet6": record.subnet6.map { .string($0.description) } ?? .null,
            "address_plan": record.planOffsets.json,
            "bridge": .string(record.bridge),
            "mtu": JSONValue(record.mtu),
            "domain": .string(record.domain),
            "lease_time": .string(record.leaseTime),
            "dns_upstream": record.dnsUpstream.json,
            "isolation": .bool(record.isolation),
            "firewall": .string(record.firewall.rawValue),
            "read_host_files": .bool(record.readHostFiles),
            "enabled": .bool(record.enabled),
            "autostart": .bool(record.autostart),
            "host_access": policyJSON(record.hostAccess.ports.map(\.description), keyword: record.hostAccess.description),
            "egress": policyJSON(record.egress.destinations.map(\.description), keyword: record.egress.description),
            "created": .string(record.created),
        ]
        encodeOptions(record, into: &object)
        // Only on networks an apply made: other records stay byte for byte as before.
        if let owner = record.owner { object["project"] = .object(["name": .string(owner.project), "file": .string(owner.file)]) }
        return .object(object)
    }

    public static let keys = [
        "version", "name", "profile", "mode", "subnet", "subnet6", "address_plan", "bridge", "mtu", "domain", "lease_time",
        "dns_upstream", "isolation", "firewall", "read_host_files", "enabled", "autostart", "created",
        "dhcp", "dns_records", "host_access", "egress", "project",
    ]

    /// Reads a record file strictly (see `StateFileReader`). Version 0 (no `version`, the
    /// first releases) had the same fields, `mtu` and `read_host_files` optional. Versions 0
    /// and 1 had no `subnet6`: those networks stay IPv4-only. A record without `autostart`
    /// (any version; it came later without a version change) reads as true, so networks made
    /// before it keep coming up at boot. Likewise a record without `host_access` or `egress`
    /// reads as `all` and `lan`: the rules those networks had before the policy existed.
    public static func decode(text: String, file: String) throws(VmnetError) -> NetworkRecord {
        let reader = try StateFileReader(file: file, text: text, current: formatVersion)
        let object = reader.root
        try reader.rejectUnknown(object, known: keys)
        func field(_ key: String) throws(VmnetError) -> String { try reader.string(object, key) }
        func range(_ plan: JSONObject, _ key: String) throws(VmnetError) -> ClosedRange<UInt32> {
            let value = try reader.member(plan, key, path: "address_plan.")
            guard let pair = value.arrayValue, pair.count == 2, let low = pair[0].intValue, let high = pair[1].intValue,
                low >= 0, low <= high, high <= Int(UInt32.max)
            else { throw reader.failure("address_plan.\(key)", "expected [first, last] host offsets, found \(JSONCodec.serialize(value, compact: true))") }
            return UInt32(low)...UInt32(high)
        }
        let name: NetworkName
        let nameText = try field("name")
        do throws(VmnetError) { name = try NetworkName(nameText) } catch { throw reader.failure("name", error.message) }
        let modeText = try field("mode")
        guard let mode = NetworkMode(rawValue: modeText) else { throw reader.failure("mode", "'\(modeText)' is not a mode: expected \"nat\" or \"host-only\"") }
        let subnetText = try field("subnet")
        guard let subnet = IPv4Subnet(subnetText) else { throw reader.failure("subnet", "'\(subnetText)' is not an IPv4 CIDR") }
        var subnet6: IPv6Subnet?
        if reader.version >= 2 {
            let value = try reader.member(object, "subnet6")
            if !value.isNull {
                guard let text = value.stringValue, let parsed = IPv6Subnet(text), parsed.prefixLength == AddressPlan6.prefixLength else {
                    throw reader.failure("subnet6", "expected null or an IPv6 /64, found \(JSONCodec.serialize(value, compact: true))")
                }
                subnet6 = parsed
            }
        } else if object["subnet6"] != nil {
            throw reader.failure("subnet6", "not known to record version \(reader.version)")
        }
        let plan = try reader.object(try reader.member(object, "address_plan"), "address_plan")
        try reader.rejectUnknown(plan, known: ["gateway", "static", "containers", "dhcp"], path: "address_plan.")
        let gateway = try reader.integer(try reader.member(plan, "gateway", path: "address_plan."), "address_plan.gateway")
        guard gateway > 0, gateway <= Int(UInt32.max) else { throw reader.failure("address_plan.gateway", "\(gateway) is not a host offset") }
        let offsets = AddressPlan.Offsets(
            gateway: UInt32(gateway), staticHosts: try range(plan, "static"), containers: try range(plan, "containers"), dhcp: try range(plan, "dhcp"))
        if let problem = offsets.problem(prefixLength: subnet.prefixLength) { throw reader.failure("address_plan", problem) }
        let bridge = try field("bridge")
        if let problem = BridgeNamer.problem(with: bridge) { throw reader.failure("bridge", problem) }
        var mtu: Int?
        if let value = object["mtu"], !value.isNull { mtu = try reader.integer(value, "mtu") } else if reader.version >= 1 && object["mtu"] == nil {
            throw reader.missing("mtu")
        }
        let firewallText = try field("firewall")
        guard let firewall = FirewallKind(rawValue: firewallText) else { throw reader.failure("firewall", "'\(firewallText)' is not a firewall: expected \"nftables\" or \"iptables\"") }
        let upstreamValue = try reader.member(object, "dns_upstream")
        let upstream: DNSUpstream
        if upstreamValue.stringValue == "auto" {
            upstream = .auto
        } else if let list = upstreamValue.arrayValue, case let servers = list.compactMap({ $0.stringValue.flatMap(IPv4Address.init) }), servers.count == list.count {
            upstream = .servers(servers)
        } else {
            throw reader.failure("dns_upstream", "expected \"auto\" or an array of IPv4 addresses, found \(JSONCodec.serialize(upstreamValue, compact: true))")
        }
        let readHostFiles = reader.version >= 1 || object["read_host_files"] != nil ? try reader.bool(object, "read_host_files") : false
        let autostart = object["autostart"] != nil ? try reader.bool(object, "autostart") : true
        let (dhcpOptions, dnsRecords) = try decodeOptions(object, reader: reader)
        let hostAccess = try policy(reader, object, "host_access", absent: HostAccessPolicy.all, HostAccessPolicy.init)
        let egress = try policy(reader, object, "egress", absent: EgressPolicy.all, EgressPolicy.init)
        var owner: ProjectOwner?
        if let value = object["project"] {
            let project = try reader.object(value, "project")
            try reader.rejectUnknown(project, known: ["name", "file"], path: "project.")
            owner = ProjectOwner(project: try reader.string(project, "name"), file: try reader.string(project, "file"))
        }
        return NetworkRecord(
            name: name, profile: try field("profile"), mode: mode, subnet: subnet, planOffsets: offsets,
            bridge: bridge, mtu: mtu, domain: try field("domain"), leaseTime: try field("lease_time"),
            dnsUpstream: upstream, isolation: try reader.bool(object, "isolation"), firewall: firewall,
            enabled: try reader.bool(object, "enabled"), created: try field("created"), readHostFiles: readHostFiles,
            subnet6: subnet6, autostart: autostart, dhcpOptions: dhcpOptions, dnsRecords: dnsRecords, hostAccess: hostAccess, egress: egress, owner: owner)
    }

    /// A policy's keyword as a string, its list as an array of strings.
    private static func policyJSON(_ items: [String], keyword: String) -> JSONValue {
        items.isEmpty ? .string(keyword) : .array(items.map(JSONValue.string))
    }

    private static func policy<Policy>(
        _ reader: StateFileReader, _ object: JSONObject, _ key: String, absent: Policy, _ parse: (String) throws(VmnetError) -> Policy
    ) throws(VmnetError) -> Policy {
        guard let value = object[key] else { return absent }
        guard let text = PolicyList.text(value) else { throw reader.failure(key, "expected a string or an array of strings") }
        do throws(VmnetError) {
            return try parse(text)
        } catch {
            throw reader.failure(key, error.message)
        }
    }

    /// The bridge a record names, when the file is still readable as JSON: destroying a broken
    /// network deletes the bridge it recorded rather than guessing.
    public static func salvageBridge(text: String) -> String? {
        guard let value = try? JSONCodec.parse(text, source: ""), let bridge = value["bridge"]?.stringValue,
            BridgeNamer.problem(with: bridge) == nil
        else { return nil }
        return bridge
    }
}
