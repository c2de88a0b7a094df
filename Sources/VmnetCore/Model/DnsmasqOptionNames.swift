/// The DHCPv4 option names dnsmasq knows, exactly as `dnsmasq --help dhcp` prints them
/// (dnsmasq 2.90); an end-to-end test compares this list with the installed dnsmasq's.
/// `dhcp_options` accepts these names (and numbers) and no other spelling.
public enum DnsmasqOptionNames {
    public static let all: [(number: Int, name: String)] = [
        (1, "netmask"),
        (2, "time-offset"),
        (3, "router"),
        (6, "dns-server"),
        (7, "log-server"),
        (9, "lpr-server"),
        (13, "boot-file-size"),
        (15, "domain-name"),
        (16, "swap-server"),
        (17, "root-path"),
        (18, "extension-path"),
        (19, "ip-forward-enable"),
        (20, "non-local-source-routing"),
        (21, "policy-filter"),
        (22, "max-datagram-reassembly"),
        (23, "default-ttl"),
        (26, "mtu"),
        (27, "all-subnets-local"),
        (31, "router-discovery"),
        (32, "router-solicitation"),
        (33, "static-route"),
        (34, "trailer-encapsulation"),
        (35, "arp-timeout"),
        (36, "ethernet-encap"),
        (37, "tcp-ttl"),
        (38, "tcp-keepalive"),
        (40, "nis-domain"),
        (41, "nis-server"),
        (42, "ntp-server"),
        (44, "netbios-ns"),
        (45, "netbios-dd"),
        (46, "netbios-nodetype"),
        (47, "netbios-scope"),
        (48, "x-windows-fs"),
        (49, "x-windows-dm"),
        (58, "T1"),
        (59, "T2"),
        (60, "vendor-class"),
        (64, "nis+-domain"),
        (65, "nis+-server"),
        (66, "tftp-server"),
        (67, "bootfile-name"),
        (68, "mobile-ip-home"),
        (69, "smtp-server"),
        (70, "pop3-server"),
        (71, "nntp-server"),
        (74, "irc-server"),
        (77, "user-class"),
        (80, "rapid-commit"),
        (93, "client-arch"),
        (94, "client-interface-id"),
        (97, "client-machine-id"),
        (100, "posix-timezone"),
        (101, "tzdb-timezone"),
        (108, "ipv6-only"),
        (119, "domain-search"),
        (120, "sip-server"),
        (121, "classless-static-route"),
        (125, "vendor-id-encap"),
        (150, "tftp-server-address"),
        (255, "server-ip-address"),
    ]

    /// The number of a named option; nil when dnsmasq does not know the name.
    public static func number(of name: String) -> Int? { all.first { $0.name == name }?.number }

    /// The name dnsmasq gives an option number; nil for numbers it knows none for.
    public static func name(of number: Int) -> String? { all.first { $0.number == number }?.name }

    /// The list out of `dnsmasq --help dhcp`'s text: one `NUMBER NAME` per line after the title.
    public static func parse(help: String) -> [(number: Int, name: String)] {
        help.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count == 2, let number = Int(words[0]) else { return nil }
            return (number, String(words[1]))
        }
    }
}
