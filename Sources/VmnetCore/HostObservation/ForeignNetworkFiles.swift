import JSON

/// Reads the subnets out of other tools' network definitions.
public enum ForeignNetworkFiles {
    /// A Podman network file (netavark format). Files vmnet itself installed are labelled
    /// and skipped by the caller, not here.
    public static func podmanSubnets(json text: String, file: String) -> (name: String, subnets: [IPv4Subnet], vmnetOwned: Bool)? {
        guard let root = try? JSONCodec.parse(text, source: file), let object = root.objectValue else { return nil }
        let name = object["name"]?.stringValue ?? file
        let subnets = (object["subnets"]?.arrayValue ?? []).compactMap { entry in
            entry["subnet"]?.stringValue.flatMap { IPv4Subnet(routeDestination: $0) }
        }
        let owned = object["labels"]?["vmnet.network"]?.stringValue != nil
        return (name, subnets, owned)
    }

    /// The IPv6 subnets of a Podman network file (netavark format).
    public static func podmanSubnets6(json text: String, file: String) -> [IPv6Subnet] {
        guard let root = try? JSONCodec.parse(text, source: file), let object = root.objectValue else { return [] }
        return (object["subnets"]?.arrayValue ?? []).compactMap { entry in
            entry["subnet"]?.stringValue.flatMap { IPv6Subnet(routeDestination: $0) }
        }
    }

    /// The `<ip family='ipv6' address=… prefix=…>` elements of a libvirt network XML.
    public static func libvirtSubnets6(xml text: String) -> [IPv6Subnet] {
        var subnets: [IPv6Subnet] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "<ip ") {
            let tagEnd = rest[open.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[open.upperBound..<tagEnd]
            rest = rest[tagEnd...]
            guard attribute("family", in: tag) == "ipv6", let address = attribute("address", in: tag).flatMap({ IPv6Address($0) }) else { continue }
            let length = attribute("prefix", in: tag).flatMap { Int($0) } ?? 64
            subnets.append(IPv6Subnet(containing: address, prefixLength: min(128, max(0, length))))
        }
        return subnets
    }

    /// A libvirt network XML: its `<ip address=… netmask=…|prefix=…>` elements.
    public static func libvirtSubnets(xml text: String) -> (name: String?, subnets: [IPv4Subnet]) {
        var name: String?
        if let start = text.firstRange(of: "<name>"), let end = text[start.upperBound...].firstRange(of: "</name>") {
            name = String(text[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace })
        }
        var subnets: [IPv4Subnet] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "<ip ") {
            let tagEnd = rest[open.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[open.upperBound..<tagEnd]
            rest = rest[tagEnd...]
            if let family = attribute("family", in: tag), family != "ipv4" { continue }
            guard let addressText = attribute("address", in: tag), let address = IPv4Address(addressText) else { continue }
            var length: Int?
            if let prefix = attribute("prefix", in: tag) { length = Int(prefix) }
            if let mask = attribute("netmask", in: tag).flatMap({ IPv4Address($0) }) { length = mask.value.nonzeroBitCount }
            subnets.append(IPv4Subnet(containing: address, prefixLength: min(32, max(0, length ?? 24))))
        }
        return (name, subnets)
    }

    private static func attribute(_ name: String, in tag: Substring) -> String? {
        let padded = " " + tag
        for quote in ["'", "\""] {
            if let start = padded.firstRange(of: " \(name)=\(quote)"),
                let end = padded[start.upperBound...].firstIndex(of: Character(quote))
            {
                return String(padded[start.upperBound..<end])
            }
        }
        return nil
    }
}
