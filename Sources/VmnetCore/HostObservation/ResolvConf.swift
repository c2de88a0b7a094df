/// The nameservers of one family named by a resolv.conf text (a scoped `fe80::1%eth0` is
/// not read: link-local addresses never collide with a subnet).
public enum ResolvConf {
    public static func nameservers<Address: IPAddress>(of family: Address.Type = Address.self, in text: String) -> [Address] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "nameserver" else { return nil }
            return Address(words[1])
        }
    }
}
