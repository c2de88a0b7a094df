import JSON

/// Reads the subnets out of other tools' network definitions.
public enum ForeignNetworkFiles {
    /// A Podman network file (netavark format), both families from one parse. Files vmnet
    /// itself installed are labelled and skipped by the caller, not here.
    public static func podmanSubnets(json text: String, file: String)
        -> (name: String, subnets: [IPv4Subnet], subnets6: [IPv6Subnet], vmnetOwned: Bool)?
    {
        guard let root = try? JSONCodec.parse(text, source: file), let object = root.objectValue else { return nil }
        let name = object["name"]?.stringValue ?? file
        let declared = (object["subnets"]?.arrayValue ?? []).compactMap { $0["subnet"]?.stringValue }
        let owned = object["labels"]?["vmnet.network"]?.stringValue != nil
        return (name, declared.compactMap { IPv4Subnet(routeDestination: $0) }, declared.compactMap { IPv6Subnet(routeDestination: $0) }, owned)
    }

    /// A libvirt network XML: its `<ip address=… netmask=…|prefix=…>` elements, IPv4 ones
    /// (no family, or `ipv4`) and `family='ipv6'` ones (prefix 64 unless stated).
    public static func libvirtSubnets(xml text: String) -> (name: String?, subnets: [IPv4Subnet], subnets6: [IPv6Subnet]) {
        var name: String?
        if let start = text.firstRange(of: "<name>"), let end = text[start.upperBound...].firstRange(of: "</name>") {
            name = String(text[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace })
        }
        var subnets: [IPv4Subnet] = []
        var subnets6: [IPv6Subnet] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "<ip ") {
            let tagEnd = rest[open.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[open.upperBound..<tagEnd]
            rest = rest[tagEnd...]
            guard let addressText = attribute("address", in: tag) else { continue }
            switch attribute("family", in: tag) {
            case nil, "ipv4":
                guard let address = IPv4Address(addressText) else { continue }
                var length: Int?
                if let prefix = attribute("prefix", in: tag) { length = Int(prefix) }
                if let mask = attribute("netmask", in: tag).flatMap({ IPv4Address($0) }) { length = mask.value.nonzeroBitCount }
                subnets.append(IPv4Subnet(containing: address, prefixLength: min(32, max(0, length ?? 24))))
            case "ipv6":
                guard let address = IPv6Address(addressText) else { continue }
                let length = attribute("prefix", in: tag).flatMap { Int($0) } ?? 64
                subnets6.append(IPv6Subnet(containing: address, prefixLength: min(128, max(0, length))))
            default:
                continue
            }
        }
        return (name, subnets, subnets6)
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
