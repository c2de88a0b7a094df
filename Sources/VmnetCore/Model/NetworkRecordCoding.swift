import JSON

/// The record's on-disk JSON form, and reading it back.
public enum NetworkRecordCoding {
    public static let formatVersion = 1

    public static func encode(_ record: NetworkRecord) -> JSONValue {
        .object([
            "version": JSONValue(formatVersion),
            "name": .string(record.name.value),
            "profile": .string(record.profile),
            "mode": .string(record.mode.rawValue),
            "subnet": .string(record.subnet.description),
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
            "created": .string(record.created),
        ])
    }

    public static func decode(_ value: JSONValue, source: String) throws(VmnetError) -> NetworkRecord {
        func fail(_ key: String) -> VmnetError {
            .failed("reading \(source): field '\(key)' is missing or wrong; restore the file or run 'vmnet destroy' on the network")
        }
        func text(_ key: String) throws(VmnetError) -> String {
            guard let string = value[key]?.stringValue else { throw fail(key) }
            return string
        }
        func range(_ key: String) throws(VmnetError) -> ClosedRange<UInt32> {
            guard let pair = value["address_plan"]?[key]?.arrayValue, pair.count == 2,
                let low = pair[0].intValue, let high = pair[1].intValue, low >= 0, low <= high
            else { throw fail("address_plan.\(key)") }
            return UInt32(low)...UInt32(high)
        }
        let name: NetworkName
        do { name = try NetworkName(text("name")) } catch { throw fail("name") }
        guard let mode = NetworkMode(rawValue: try text("mode")) else { throw fail("mode") }
        guard let subnet = IPv4Subnet(try text("subnet")) else { throw fail("subnet") }
        guard let gateway = value["address_plan"]?["gateway"]?.intValue, gateway > 0 else { throw fail("address_plan.gateway") }
        guard let firewall = FirewallKind(rawValue: try text("firewall")) else { throw fail("firewall") }
        let upstream: DNSUpstream
        if value["dns_upstream"]?.stringValue == "auto" {
            upstream = .auto
        } else if let list = value["dns_upstream"]?.arrayValue {
            let servers = list.compactMap { $0.stringValue.flatMap(IPv4Address.init) }
            guard servers.count == list.count else { throw fail("dns_upstream") }
            upstream = .servers(servers)
        } else {
            throw fail("dns_upstream")
        }
        guard let isolation = value["isolation"]?.boolValue else { throw fail("isolation") }
        guard let enabled = value["enabled"]?.boolValue else { throw fail("enabled") }
        return NetworkRecord(
            name: name, profile: try text("profile"), mode: mode, subnet: subnet,
            planOffsets: AddressPlan.Offsets(gateway: UInt32(gateway), staticHosts: try range("static"), containers: try range("containers"), dhcp: try range("dhcp")),
            bridge: try text("bridge"), mtu: value["mtu"]?.intValue, domain: try text("domain"), leaseTime: try text("lease_time"),
            dnsUpstream: upstream, isolation: isolation, firewall: firewall, enabled: enabled, created: try text("created"),
            readHostFiles: value["read_host_files"]?.boolValue ?? false)
    }
}
