/// The IPv4 nameservers named by a resolv.conf text.
public enum ResolvConf {
    public static func nameservers(in text: String) -> [IPv4Address] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "nameserver" else { return nil }
            return IPv4Address(words[1])
        }
    }
}
