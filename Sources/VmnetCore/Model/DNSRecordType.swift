/// The kinds of extra DNS records a network serves, each as dnsmasq's own option renders it.
public enum DNSRecordType: String, Hashable, Sendable, CaseIterable {
    case a = "A"
    case aaaa = "AAAA"
    case cname = "CNAME"
    case srv = "SRV"
    case txt = "TXT"
    case mx = "MX"

    /// How the value is written, for messages.
    var valueForm: String {
        switch self {
        case .a: return "an IPv4 address"
        case .aaaa: return "an IPv6 address"
        case .cname: return "a target name"
        case .srv: return "PRIORITY WEIGHT PORT TARGET"
        case .txt: return "printable text without quotes, backslashes, commas or '#', at most 255 characters"
        case .mx: return "PREFERENCE TARGET"
        }
    }
}
