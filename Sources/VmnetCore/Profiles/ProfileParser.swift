import JSON

/// Turns a profile file's text into a `Profile`, or an error naming file, line and key.
public struct ProfileParser: Sendable {
    public static let keys = [
        "description", "mode", "pools", "prefix_length", "address_plan", "domain_suffix",
        "lease_time", "mtu", "dns_upstream", "isolation", "firewall", "read_host_files", "ipv6", "engine", "host_access", "egress",
    ]

    public let file: String
    private let sourceMap: JSONSourceMap

    public init(file: String, text: String) {
        self.file = file
        self.sourceMap = JSONSourceMap(text: text)
    }

    public static func parse(name: String, file: String, text: String) throws(ProfileError) -> Profile {
        try ProfileParser(file: file, text: text).parse(name: name, text: text)
    }

    private func parse(name: String, text: String) throws(ProfileError) -> Profile {
        let root: JSONValue
        do {
            root = try JSONCodec.parse(text, source: file)
        } catch {
            throw ProfileError(file: file, line: error.line, key: nil, reason: "not valid JSON at column \(error.column): \(error.reason)")
        }
        guard let object = root.objectValue else {
            throw ProfileError(file: file, line: 1, key: nil, reason: "a profile is a JSON object, not \(root.typeName)")
        }
        for key in object.keys where !ProfileParser.keys.contains(key) {
            throw failure(key, "unknown key; known keys are \(ProfileParser.keys.joined(separator: ", "))")
        }
        var profile = Profile(name: name)
        if let value = object["description"] { profile.description = try string(value, "description") }
        if let value = object["mode"] {
            let text = try string(value, "mode")
            guard let mode = NetworkMode(rawValue: text) else { throw failure("mode", "'\(text)' is not a mode: use \"nat\" or \"host-only\"") }
            profile.mode = mode
        }
        if let value = object["pools"] { profile.pools = try pools(value) }
        if let value = object["prefix_length"] {
            let length = try integer(value, "prefix_length")
            guard (Profile.minimumPrefixLength...Profile.maximumPrefixLength).contains(length) else {
                throw failure("prefix_length", "\(length) is out of range: use \(Profile.minimumPrefixLength) to \(Profile.maximumPrefixLength)")
            }
            profile.prefixLength = length
        }
        for pool in profile.pools where pool.prefixLength > profile.prefixLength {
            throw failure("pools", "pool \(pool) is smaller than one /\(profile.prefixLength) network")
        }
        if let value = object["address_plan"] { profile.addressPlan = try addressPlan(value, prefixLength: profile.prefixLength) }
        if let value = object["domain_suffix"] {
            let suffix = try string(value, "domain_suffix")
            let labels = suffix.split(separator: ".", omittingEmptySubsequences: false)
            guard !labels.isEmpty, labels.allSatisfy({ NetworkName.problem(with: String($0), what: "label", maximumLength: 63) == nil }) else {
                throw failure("domain_suffix", "'\(suffix)' is not a domain: use dot-separated lower-case labels such as \"vmnet\"")
            }
            profile.domainSuffix = suffix
        }
        if let value = object["lease_time"] {
            let lease = try string(value, "lease_time")
            guard ProfileParser.isLeaseTime(lease) else {
                throw failure("lease_time", "'\(lease)' is not a lease time: use seconds with an optional m, h or d (at least 2m), or \"infinite\"")
            }
            profile.leaseTime = lease
        }
        if let value = object["mtu"], !value.isNull {
            let mtu = try integer(value, "mtu")
            guard Profile.mtuRange.contains(mtu) else { throw failure("mtu", "\(mtu) is out of range: use \(Profile.mtuRange.lowerBound) to \(Profile.mtuRange.upperBound), or null") }
            profile.mtu = mtu
        }
        if let value = object["dns_upstream"] { profile.dnsUpstream = try upstream(value) }
        if let value = object["isolation"] {
            guard let flag = value.boolValue else { throw typeFailure("isolation", "a boolean", value) }
            profile.isolation = flag
        }
        if let value = object["read_host_files"] {
            guard let flag = value.boolValue else { throw typeFailure("read_host_files", "a boolean", value) }
            profile.readHostFiles = flag
        }
        if let value = object["ipv6"] { profile.ipv6 = try ipv6(value) }
        if let value = object["host_access"] {
            guard let text = PolicyList.text(value) else { throw typeFailure("host_access", "a string or a list", value) }
            do throws(VmnetError) { profile.hostAccess = try HostAccessPolicy(text) } catch { throw failure("host_access", error.message) }
        }
        if let value = object["egress"] {
            guard let text = PolicyList.text(value) else { throw typeFailure("egress", "a string or a list", value) }
            do throws(VmnetError) { profile.egress = try EgressPolicy(text) } catch { throw failure("egress", error.message) }
        }
        if let value = object["engine"] {
            let text = try string(value, "engine")
            guard let engine = NetworkEngine(rawValue: text) else {
                throw failure("engine", "'\(text)' is not an engine: use \"bridge\" (this host) or \"ovn\" (a cluster network)")
            }
            profile.engine = engine
        }
        if let value = object["firewall"] {
            let text = try string(value, "firewall")
            if text == "auto" {
                profile.firewall = nil
            } else if let kind = FirewallKind(rawValue: text) {
                profile.firewall = kind
            } else {
                throw failure("firewall", "'\(text)' is not a firewall: use \"auto\", \"nftables\" or \"iptables\"")
            }
        }
        return profile
    }

    /// dnsmasq's lease time syntax, limited to what it accepts: at least two minutes.
    public static func isLeaseTime(_ text: String) -> Bool {
        if text == "infinite" { return true }
        var digits = Substring(text)
        var unit: UInt64 = 1
        if let last = text.last, let multiplier = ["s": 1, "m": 60, "h": 3600, "d": 86400][String(last)] {
            digits = digits.dropLast()
            unit = UInt64(multiplier)
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let count = UInt64(digits) else { return false }
        return count * unit >= 120
    }

    private func failure(_ key: String, _ reason: String) -> ProfileError {
        ProfileError(file: file, line: sourceMap.line(ofKey: key), key: key, reason: reason)
    }

    private func typeFailure(_ key: String, _ expected: String, _ value: JSONValue) -> ProfileError {
        failure(key, "expected \(expected), found \(value.typeName)")
    }

    private func string(_ value: JSONValue, _ key: String) throws(ProfileError) -> String {
        guard let text = value.stringValue else { throw typeFailure(key, "a string", value) }
        return text
    }

    private func integer(_ value: JSONValue, _ key: String) throws(ProfileError) -> Int {
        guard case .integer = value, let number = value.intValue else { throw typeFailure(key, "a whole number", value) }
        return number
    }

    private func pools(_ value: JSONValue) throws(ProfileError) -> [IPv4Subnet] {
        guard let items = value.arrayValue, !items.isEmpty else { throw failure("pools", "expected a non-empty array of CIDR strings such as \"10.140.0.0/16\"") }
        var pools: [IPv4Subnet] = []
        for item in items {
            let text = try string(item, "pools")
            switch IPv4Subnet.parse(text) {
            case .success(let pool):
                if let other = pools.first(where: { $0.overlaps(pool) }) {
                    throw failure("pools", "\(pool) overlaps \(other)")
                }
                pools.append(pool)
            case .failure(.hostBitsSet(let suggestion)):
                throw failure("pools", "'\(text)' has host bits set: did you mean \(suggestion)?")
            case .failure(.malformed):
                throw failure("pools", "'\(text)' is not an IPv4 CIDR such as 10.140.0.0/16")
            }
        }
        return pools
    }

    private func ipv6(_ value: JSONValue) throws(ProfileError) -> IPv6Setting {
        let usage = "use \"ula\", \"off\", or an array of IPv6 pools of /64 or larger such as [\"fd42:1:2::/48\"]"
        if let text = value.stringValue {
            switch text {
            case "ula": return .ula
            case "off": return .off
            default: throw failure("ipv6", "'\(text)' is not an IPv6 setting: \(usage)")
            }
        }
        guard let items = value.arrayValue, !items.isEmpty else { throw failure("ipv6", "expected a string or a non-empty array: \(usage)") }
        var pools: [IPv6Subnet] = []
        for item in items {
            let text = try string(item, "ipv6")
            guard let pool = IPv6Subnet(text) else {
                if let suggestion = IPv6Subnet.lenient(text) { throw failure("ipv6", "'\(text)' has host bits set: did you mean \(suggestion)?") }
                throw failure("ipv6", "'\(text)' is not an IPv6 CIDR such as fd42:1:2::/48")
            }
            guard pool.prefixLength <= AddressPlan6.prefixLength else { throw failure("ipv6", "pool \(pool) is smaller than one /64 network") }
            if let other = pools.first(where: { $0.overlaps(pool) }) { throw failure("ipv6", "\(pool) overlaps \(other)") }
            pools.append(pool)
        }
        return .pools(pools)
    }

    private func addressPlan(_ value: JSONValue, prefixLength: Int) throws(ProfileError) -> AddressPlan.Offsets {
        let key = "address_plan"
        guard let object = value.objectValue else { throw typeFailure(key, "an object with gateway, static, containers and dhcp", value) }
        let known = ["gateway", "static", "containers", "dhcp"]
        for member in object.keys where !known.contains(member) {
            throw failure(key, "unknown key '\(member)'; known keys are \(known.joined(separator: ", "))")
        }
        func range(_ name: String) throws(ProfileError) -> ClosedRange<UInt32> {
            guard let pair = object[name]?.arrayValue, pair.count == 2, let low = pair[0].intValue, let high = pair[1].intValue,
                low >= 0, low <= high, high <= Int(UInt32.max)
            else { throw failure(key, "\(name) must be [first, last] host offsets, e.g. [2, 63]") }
            return UInt32(low)...UInt32(high)
        }
        guard let gateway = object["gateway"]?.intValue, gateway > 0, gateway <= Int(UInt32.max) else {
            throw failure(key, "gateway must be a host offset such as 1")
        }
        let offsets = AddressPlan.Offsets(
            gateway: UInt32(gateway), staticHosts: try range("static"), containers: try range("containers"), dhcp: try range("dhcp"))
        if let problem = offsets.problem(prefixLength: prefixLength) { throw failure(key, problem) }
        return offsets
    }

    private func upstream(_ value: JSONValue) throws(ProfileError) -> DNSUpstream {
        if value.stringValue == "auto" { return .auto }
        guard let items = value.arrayValue else {
            throw failure("dns_upstream", "expected \"auto\" or an array of IPv4 addresses")
        }
        var servers: [IPv4Address] = []
        for item in items {
            guard let text = item.stringValue, let address = IPv4Address(text) else {
                throw failure("dns_upstream", "expected \"auto\" or an array of IPv4 addresses, found \(JSONCodec.serialize(item, compact: true))")
            }
            servers.append(address)
        }
        return .servers(servers)
    }
}
