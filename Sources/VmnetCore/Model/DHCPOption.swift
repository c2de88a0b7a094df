/// One DHCP option of `dhcp_options`, written `NAME_OR_NUMBER=VALUE`: a dnsmasq option name
/// (`ntp-server`) or a number from 1 to 254, and a value dnsmasq reads as it reads
/// `dhcp-option`'s (commas separate list items). Never a raw configuration line: the value
/// is printable ASCII without quotes, backslashes, `#` or `=`, and the options vmnet sets
/// itself are refused with the key to use instead.
public struct DHCPOption: Hashable, Sendable, CustomStringConvertible {
    /// As written: a name dnsmasq knows or a number.
    public let option: String
    public let number: Int
    public let value: String

    /// The options vmnet renders itself (or that belong to the DHCP exchange): what a user
    /// sets instead, or why none.
    public static let owned: [Int: String] = [
        1: "vmnet sends the subnet's netmask", 3: "vmnet sends the gateway (none on host-only networks)",
        6: "vmnet sends the gateway as DNS server: use dns_upstream or dns_records", 12: "the host name comes from the client or 'vmnet host'",
        15: "vmnet sends the network's domain", 26: "use mtu", 28: "vmnet sends the subnet's broadcast address",
        50: "part of the DHCP exchange", 51: "use lease_time", 52: "part of the DHCP exchange", 53: "part of the DHCP exchange",
        54: "part of the DHCP exchange", 55: "part of the DHCP exchange", 57: "part of the DHCP exchange", 58: "use lease_time",
        59: "use lease_time", 61: "part of the DHCP exchange", 66: "use dhcp_boot", 67: "use dhcp_boot", 81: "part of the DHCP exchange",
        82: "part of the DHCP exchange", 121: "use dhcp_routes", 249: "use dhcp_routes",
        255: "the next server is dhcp_next_server (or the gateway with tftp_root)",
    ]

    /// Options that have their own key, which must not set them at the same time.
    public static let ownKeys: [Int: String] = [42: "dhcp_ntp", 119: "dhcp_search"]

    public init(option: String, value: String) throws(VmnetError) {
        func refuse(_ problem: String) -> VmnetError { .invalid("DHCP option \("\(option)=\(value)".debugDescription): \(problem)") }
        let number: Int
        if let named = DnsmasqOptionNames.number(of: option) {
            number = named
        } else if option.utf8.count <= 3, option.allSatisfy({ $0.isASCII && $0.isNumber }), let written = Int(option), (1...254).contains(written) {
            number = written
        } else {
            throw refuse("\(option.debugDescription) is no option: use a number from 1 to 254 or a name 'dnsmasq --help dhcp' lists, such as ntp-server")
        }
        if let reason = DHCPOption.owned[number] {
            throw refuse("option \(number)\(DnsmasqOptionNames.name(of: number).map { " (\($0))" } ?? ""): \(reason)")
        }
        guard (1...255).contains(value.utf8.count),
            value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && !"\"'\\#=".unicodeScalars.contains($0) })
        else {
            throw refuse("the value must be 1 to 255 printable characters without quotes, backslashes, '#' or '=' (commas separate list items)")
        }
        self.option = option
        self.number = number
        self.value = value
    }

    /// Parses `NAME_OR_NUMBER=VALUE`.
    public init(_ text: String) throws(VmnetError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw .invalid("DHCP option \(text.debugDescription): expected NAME_OR_NUMBER=VALUE, such as ntp-server=10.0.0.5 or 42=10.0.0.5")
        }
        try self.init(option: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    public var description: String { "\(option)=\(value)" }

    /// The `dhcp-option` argument: `option:NAME,VALUE` or `NUMBER,VALUE`.
    public var dnsmasqArgument: String { (option == String(number) ? option : "option:\(option)") + "," + value }
}
