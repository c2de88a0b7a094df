/// The DHCP options a network hands its guests beyond address, router and DNS: classless
/// static routes, NTP servers, search domains and a boot file (with the TFTP root the
/// network's dnsmasq serves it from), and any other option by name or number. Empty for a
/// network that sets none.
public struct DHCPOptions: Hashable, Sendable {
    public var routes: [DHCPRoute]
    public var ntp: [IPv4Address]
    public var search: [String]
    /// The BOOTP file name (`dhcp-boot`).
    public var bootFile: String?
    /// The BOOTP next server (siaddr) for a boot file served elsewhere; nil: none, or the
    /// gateway when the network serves `tftpRoot` itself.
    public var nextServer: IPv4Address?
    /// The directory the network's own dnsmasq serves by TFTP; nil serves none.
    public var tftpRoot: String?
    /// `dhcp_options`: options vmnet has no key of its own for.
    public var extra: [DHCPOption]

    public init(routes: [DHCPRoute] = [], ntp: [IPv4Address] = [], search: [String] = [], bootFile: String? = nil, tftpRoot: String? = nil, nextServer: IPv4Address? = nil, extra: [DHCPOption] = []) {
        self.routes = routes
        self.ntp = ntp
        self.search = search
        self.bootFile = bootFile
        self.tftpRoot = tftpRoot
        self.nextServer = nextServer
        self.extra = extra
    }

    public var isEmpty: Bool { self == DHCPOptions() }

    /// Whether there are options for the `dhcp-optsfile` (routes, NTP, search, the extra
    /// ones), the part dnsmasq re-reads on SIGHUP.
    public var hasOptionsFile: Bool { !routes.isEmpty || !ntp.isEmpty || !search.isEmpty || !extra.isEmpty }

    /// A boot file name as the BOOTP header holds it: 1 to 127 printable characters, none of
    /// them a space, comma, quote, backslash or `=` (which dnsmasq's configuration would read).
    public static func isBootFile(_ name: String) -> Bool {
        (1...127).contains(name.utf8.count) && name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !",\"'\\=#".unicodeScalars.contains($0) }
    }

    /// An absolute path dnsmasq's configuration can carry: no comma, quote, backslash, `#`,
    /// `=` or control character.
    public static func isTFTPRoot(_ path: String) -> Bool {
        path.hasPrefix("/") && path.utf8.count <= 1024
            && path.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && !",\"'\\#=".unicodeScalars.contains($0) }
    }
}
