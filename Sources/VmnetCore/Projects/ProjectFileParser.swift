import JSON

/// Reads a project file strictly: unknown keys, wrong types and bad values are refused as
/// `FILE:LINE: key: problem` (exit 2). Every setting goes through `NetworkSetting`, the parser
/// of `vmnet set`, so a value the file accepts is exactly one `set` accepts.
public struct ProjectFileParser {
    public static let keys = ["version", "project", "description", "networks"]
    public static let networkKeys = [
        "description", "profile", "subnet", "subnet6", "ipv6", "mtu", "isolation", "lease_time", "dns_upstream", "autostart",
        "hosts", "forwards", "dhcp", "dns", "host_access", "egress", "install",
    ]
    public static let dhcpKeys = ["routes", "ntp", "search", "boot", "options"]
    public static let bootKeys = ["filename", "next_server", "tftp_root"]
    public static let hostKeys = ["mac", "ip", "ipv6"]
    public static let forwardKeys = ["port", "protocol", "address", "target", "target_port"]
    public static let recordKeys = ["name", "type", "value"]

    private let reader: StateFileReader

    /// `file` names the file in messages; `path` is its absolute path, which owns what an apply makes.
    public static func parse(text: String, file: String, path: String) throws(VmnetError) -> ProjectFile {
        let reader = try StateFileReader(file: file, text: text, current: ProjectFile.currentVersion, code: .invalidInput)
        return try ProjectFileParser(reader: reader).parse(path: path)
    }

    private init(reader: StateFileReader) { self.reader = reader }

    private func parse(path: String) throws(VmnetError) -> ProjectFile {
        let root = reader.root
        try rejectUnknown(root, Self.keys, path: "")
        if let value = root["description"] { _ = try text(value, "description") }
        guard reader.version == ProjectFile.currentVersion else {
            throw .invalid("\(reader.file):1: version: missing: start the file with \"version\": \(ProjectFile.currentVersion)")
        }
        let project = try string(root, "project")
        if let problem = NetworkName.problem(with: project, what: "project name", maximumLength: NetworkName.maximumLength - 2) {
            throw fail("project", problem)
        }
        let networks = try reader.object(try member(root, "networks"), "networks")
        let networksLine = reader.line(of: "networks") ?? 0
        var parsed: [ProjectNetwork] = []
        for (key, value) in networks.members {
            let at = reader.line(of: key, afterLine: networksLine) ?? networksLine
            parsed.append(try network(key, value, project: project, after: max(at - 1, 0)))
        }
        return ProjectFile(project: project, path: path, networks: parsed)
    }

    private func network(_ key: String, _ value: JSONValue, project: String, after: Int) throws(VmnetError) -> ProjectNetwork {
        let path = "networks.\(key)"
        let full = ProjectFile.networkName(project: project, network: key)
        if let problem = NetworkName.problem(with: key, what: "network key", maximumLength: NetworkName.maximumLength) {
            throw fail(path, problem, after: after)
        }
        let name: NetworkName
        do { name = try NetworkName(full) } catch { throw fail(path, "the network's name '\(full)' (PROJECT-NET): \(error.message)", after: after) }
        let object = try reader.object(value, path, afterLine: after)
        try rejectUnknown(object, Self.networkKeys, path: path + ".", after: after)
        var network = ProjectNetwork(key: key, name: name)
        func located(_ key: String) -> String { "\(path).\(key)" }

        // JSON has no comments: `description` is the file's, read and left alone.
        if let value = object["description"] { _ = try text(value, located("description"), after: after) }
        if let value = object["profile"] { network.profile = try text(value, located("profile"), after: after) }
        if let value = object["subnet"] {
            let text = try text(value, located("subnet"), after: after)
            guard let subnet = IPv4Subnet(text), subnet.description == text else {
                throw fail(located("subnet"), "\(text.debugDescription) is not an IPv4 CIDR such as 10.20.30.0/24 (its network address)", after: after)
            }
            network.subnet = subnet
        }
        if let value = object["subnet6"] {
            let text = try text(value, located("subnet6"), after: after)
            guard let subnet = IPv6Subnet(text), subnet.prefixLength == AddressPlan6.prefixLength else {
                throw fail(located("subnet6"), "\(text.debugDescription) is not an IPv6 /64 such as fd12:3456:789a:1::/64", after: after)
            }
            network.subnet6 = subnet
        }
        if let value = object["ipv6"] { network.ipv6 = try flag(value, located("ipv6"), after: after) }
        if network.ipv6 == false, network.subnet6 != nil {
            throw fail(located("ipv6"), "false contradicts subnet6: leave out one of them", after: after)
        }

        var settings: [NetworkSetting] = []
        /// `vmnet set`'s `key=value`, a refusal located at `place` (the key's own by default).
        func add(_ key: String, _ value: String, at place: String? = nil) throws(VmnetError) {
            do { settings.append(try NetworkSetting("\(key)=\(value)")) } catch { throw fail(place ?? located(key), error.message, after: after) }
        }
        if let value = object["mtu"] { try add("mtu", String(try reader.integer(value, located("mtu"), afterLine: after))) }
        if let value = object["isolation"] { try add("isolation", String(try flag(value, located("isolation"), after: after))) }
        if let value = object["autostart"] { try add("autostart", String(try flag(value, located("autostart"), after: after))) }
        if let value = object["lease_time"] { try add("lease_time", try text(value, located("lease_time"), after: after)) }
        if let value = object["dns_upstream"] {
            if case .array = value {
                let servers = try list(value, located("dns_upstream"), after: after)
                try add("dns_upstream", servers.isEmpty ? "none" : servers.joined(separator: ","))
            } else {
                try add("dns_upstream", try text(value, located("dns_upstream"), after: after))
            }
        }
        for key in ["host_access", "egress"] {
            guard let value = object[key] else { continue }
            if case .array = value {
                try add(key, try list(value, located(key), after: after, numbers: true).joined(separator: ","))
            } else {
                try add(key, try text(value, located(key), after: after))
            }
        }
        if let value = object["dhcp"] {
            let dhcp = try reader.object(value, located("dhcp"), afterLine: after)
            try rejectUnknown(dhcp, Self.dhcpKeys, path: located("dhcp."), after: after)
            for (key, setting) in [("routes", "dhcp_routes"), ("ntp", "dhcp_ntp"), ("search", "dhcp_search")] {
                guard let value = dhcp[key] else { continue }
                try add(setting, try list(value, located("dhcp.\(key)"), after: after).joined(separator: ","), at: located("dhcp.\(key)"))
            }
            if let value = dhcp["options"] {
                var pairs: [(key: String, value: String)] = []
                for (name, option) in try reader.object(value, located("dhcp.options"), afterLine: after).members {
                    let text = option.intValue.map(String.init) ?? option.stringValue
                    guard let text, option.intValue != nil || option.stringValue != nil else {
                        throw fail(located("dhcp.options.\(name)"), "expected a string or a number, found \(option.typeName)", after: after)
                    }
                    pairs.append((name, text))
                }
                do { settings.append(try NetworkSetting.dhcpOptions(pairs)) } catch { throw fail(located("dhcp.options"), error.message, after: after) }
            }
            if let value = dhcp["boot"] {
                let boot = try reader.object(value, located("dhcp.boot"), afterLine: after)
                try rejectUnknown(boot, Self.bootKeys, path: located("dhcp.boot."), after: after)
                let filename = located("dhcp.boot.filename"), root = located("dhcp.boot.tftp_root"), server = located("dhcp.boot.next_server")
                try add("dhcp_boot", try text(try member(boot, "filename", path: located("dhcp.boot."), after: after), filename, after: after), at: filename)
                if let value = boot["tftp_root"] { try add("tftp_root", try text(value, root, after: after), at: root) }
                if let value = boot["next_server"] { try add("dhcp_next_server", try text(value, server, after: after), at: server) }
            }
        }
        if let value = object["dns"] {
            var records: [DNSRecord] = []
            for (index, entry) in try array(value, located("dns"), after: after).enumerated() {
                let at = located("dns[\(index)]")
                let record = try reader.object(entry, at, afterLine: after)
                try rejectUnknown(record, Self.recordKeys, path: at + ".", after: after)
                let typeText = try text(try member(record, "type", path: at + ".", after: after), at + ".type", after: after)
                guard let type = DNSRecordType(rawValue: typeText.uppercased()) else {
                    throw fail(at + ".type", "\(typeText.debugDescription) is not a type: use one of \(DNSRecordType.allCases.map(\.rawValue).joined(separator: ", "))", after: after)
                }
                do throws(VmnetError) {
                    records.append(try DNSRecord(
                        name: try text(try member(record, "name", path: at + ".", after: after), at + ".name", after: after),
                        type: type, value: try text(try member(record, "value", path: at + ".", after: after), at + ".value", after: after)))
                } catch { throw fail(at, error.message, after: after) }
            }
            settings.append(.dnsRecords(records))
        }
        network.settings = settings

        if let value = object["hosts"] {
            for (host, entry) in try reader.object(value, located("hosts"), afterLine: after).members {
                network.hosts.append(try self.host(host, entry, path: located("hosts.\(host)"), after: after))
            }
        }
        if let value = object["forwards"] {
            for (index, entry) in try array(value, located("forwards"), after: after).enumerated() {
                network.forwards.append(try forward(entry, path: located("forwards[\(index)]"), after: after))
            }
        }
        if let value = object["install"] {
            for kind in try list(value, located("install"), after: after) {
                guard let runtime = RuntimeKind(rawValue: kind) else {
                    throw fail(located("install"), "\(kind.debugDescription) is not a runtime: use \(RuntimeKind.allCases.map(\.rawValue).joined(separator: ", "))", after: after)
                }
                if !network.install.contains(runtime) { network.install.append(runtime) }
            }
        }
        return network
    }

    private func host(_ name: String, _ value: JSONValue, path: String, after: Int) throws(VmnetError) -> ProjectHost {
        do { try HostReservation.validateName(name) } catch { throw fail(path, error.message, after: after) }
        let object = try reader.object(value, path, afterLine: after)
        try rejectUnknown(object, Self.hostKeys, path: path + ".", after: after)
        var host = ProjectHost(name: name)
        if let value = object["mac"] {
            let text = try text(value, path + ".mac", after: after)
            guard let mac = MACAddress(text) else { throw fail(path + ".mac", "\(text.debugDescription) is not a MAC address such as 52:54:00:12:34:56", after: after) }
            host.mac = mac
        }
        if let value = object["ip"] {
            let text = try text(value, path + ".ip", after: after)
            guard let ip = IPv4Address(text) else { throw fail(path + ".ip", "\(text.debugDescription) is not an IPv4 address", after: after) }
            host.ip = ip
        }
        if let value = object["ipv6"] {
            let text = try text(value, path + ".ipv6", after: after)
            guard let ip6 = IPv6Address(text) else { throw fail(path + ".ipv6", "\(text.debugDescription) is not an IPv6 address", after: after) }
            host.ip6 = ip6
        }
        return host
    }

    private func forward(_ value: JSONValue, path: String, after: Int) throws(VmnetError) -> PortForward {
        let object = try reader.object(value, path, afterLine: after)
        try rejectUnknown(object, Self.forwardKeys, path: path + ".", after: after)
        let portValue = try member(object, "port", path: path + ".", after: after)
        var ports: String
        if case .integer = portValue, let number = portValue.intValue {
            ports = String(number)
        } else if let text = portValue.stringValue {
            ports = text
        } else {
            throw fail(path + ".port", "expected a port number or a range such as \"8000-8010\", found \(portValue.typeName)", after: after)
        }
        if let value = object["protocol"] { ports += "/" + (try text(value, path + ".protocol", after: after)) }
        if let value = object["address"] { ports = (try text(value, path + ".address", after: after)) + ":" + ports }
        // PortForward's own refusals name no place: they are located at the forward.
        let parsed: (address: IPv4Address?, port: Int, endPort: Int, proto: PortForward.Proto)
        do { parsed = try PortForward.parse(ports: ports) } catch { throw fail(path, error.message, after: after) }
        let target = try text(try member(object, "target", path: path + ".", after: after), path + ".target", after: after)
        let targetPort = try object["target_port"].map { (value) throws(VmnetError) in try reader.integer(value, path + ".target_port", afterLine: after) }
        do {
            return try PortForward(address: parsed.address, port: parsed.port, endPort: parsed.endPort, proto: parsed.proto, target: target, targetPort: targetPort)
        } catch { throw fail(path, error.message, after: after) }
    }

    // MARK: - Typed members, each refusal located

    private func fail(_ key: String, _ problem: String, after: Int = 0) -> VmnetError { reader.failure(key, problem, afterLine: after) }

    private func rejectUnknown(_ object: JSONObject, _ known: [String], path: String, after: Int = 0) throws(VmnetError) {
        try reader.rejectUnknown(object, known: known, path: path, afterLine: after)
    }

    private func member(_ object: JSONObject, _ key: String, path: String = "", after: Int = 0) throws(VmnetError) -> JSONValue {
        guard let value = object[key] else { throw fail(path.isEmpty ? key : String(path.dropLast()), "missing key '\(key)'", after: after) }
        return value
    }

    private func string(_ object: JSONObject, _ key: String) throws(VmnetError) -> String { try text(try member(object, key), key) }

    private func text(_ value: JSONValue, _ key: String, after: Int = 0) throws(VmnetError) -> String {
        guard let text = value.stringValue else { throw reader.typeFailure(key, "a string", value, afterLine: after) }
        return text
    }

    private func flag(_ value: JSONValue, _ key: String, after: Int = 0) throws(VmnetError) -> Bool {
        guard let flag = value.boolValue else { throw reader.typeFailure(key, "true or false", value, afterLine: after) }
        return flag
    }

    private func array(_ value: JSONValue, _ key: String, after: Int = 0) throws(VmnetError) -> [JSONValue] {
        guard let array = value.arrayValue else { throw reader.typeFailure(key, "an array", value, afterLine: after) }
        return array
    }

    /// An array of strings (and, where ports are listed, whole numbers). An item holding a
    /// comma is refused: `NetworkSetting` reads lists separated by commas.
    private func list(_ value: JSONValue, _ key: String, after: Int = 0, numbers: Bool = false) throws(VmnetError) -> [String] {
        var items: [String] = []
        for item in try array(value, key, after: after) {
            if numbers, case .integer = item, let number = item.intValue {
                items.append(String(number))
            } else if let text = item.stringValue, !text.contains(",") {
                items.append(text)
            } else {
                throw fail(key, "\(JSONCodec.serialize(item, compact: true)) is not allowed: expected \(numbers ? "numbers or strings" : "strings") without commas", after: after)
            }
        }
        return items
    }
}
