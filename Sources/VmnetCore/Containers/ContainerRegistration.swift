import JSON

/// A running container's address on a network, as its OCI hook registered it: the address is
/// reserved for its MAC in dnsmasq while it runs, and its name is published unless `note`
/// says why not, for `ip6` too when the container has an address in the network's /64.
public struct ContainerRegistration: Hashable, Sendable {
    public let id: String
    public let name: String?
    public let mac: MACAddress
    public let ip: IPv4Address
    public let ip6: IPv6Address?
    public let pid: Int?
    /// The process's start time (see `ProcessTable.startTime(stat:)`): with `pid`, tells a running
    /// container from a reused pid after a missed `poststop` or a reboot.
    public let started: Int64?
    public let note: String?

    public static let takenByContainer = "name taken by another container"
    public static let notADNSName = "not a valid DNS name"

    public init(id: String, name: String?, mac: MACAddress, ip: IPv4Address, ip6: IPv6Address? = nil, pid: Int?, started: Int64? = nil,
                note: String? = nil) {
        self.id = id
        self.name = name
        self.mac = mac
        self.ip = ip
        self.ip6 = ip6
        self.pid = pid
        self.started = started
        self.note = note
    }

    /// The name dnsmasq serves for it, nil when refused.
    public var publishedName: String? { note == nil ? name : nil }

    public var json: JSONValue {
        .object([
            "id": .string(id), "name": JSONValue(name), "mac": .string(mac.description), "ip": .string(ip.description),
            "ip6": ip6.map { .string($0.description) } ?? .null, "pid": JSONValue(pid), "started": started.map { .integer($0) } ?? .null, "note": JSONValue(note),
        ])
    }

    /// Reads `containers.json`; a damaged file is an error, never "no containers".
    public static func decode(_ text: String, file: String) throws(VmnetError) -> [ContainerRegistration] {
        let value: JSONValue
        do { value = try JSONCodec.parse(text, source: file) } catch { throw .failed("reading \(file): \(error)") }
        guard let items = value.arrayValue else { throw .failed("reading \(file): not a JSON array") }
        var registrations: [ContainerRegistration] = []
        for item in items {
            guard let id = item["id"]?.stringValue, let mac = item["mac"]?.stringValue.flatMap({ MACAddress($0) }),
                let ip = item["ip"]?.stringValue.flatMap({ IPv4Address($0) })
            else { throw .failed("reading \(file): an entry lacks a valid id, mac or ip") }
            // Files written before IPv6 have no "ip6".
            var ip6: IPv6Address?
            if let text = item["ip6"]?.stringValue {
                guard let parsed = IPv6Address(text) else { throw .failed("reading \(file): an entry has an invalid ip6 '\(text)'") }
                ip6 = parsed
            }
            registrations.append(ContainerRegistration(id: id, name: item["name"]?.stringValue, mac: mac, ip: ip, ip6: ip6,
                                                       pid: item["pid"]?.intValue, started: item["started"]?.intValue.map(Int64.init),
                                                       note: item["note"]?.stringValue))
        }
        return registrations
    }

    public static func encode(_ registrations: [ContainerRegistration]) -> JSONValue {
        .array(registrations.sorted { $0.ip < $1.ip }.map(\.json))
    }
}
