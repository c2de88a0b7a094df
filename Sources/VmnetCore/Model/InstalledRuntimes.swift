import JSON

/// What `vmnet install` put where, so that `uninstall` and `destroy` remove exactly that.
/// Written before each effect, like the network record.
public struct InstalledRuntimes: Hashable, Sendable {
    public struct Libvirt: Hashable, Sendable {
        /// The connection URI used, or nil for virsh's default.
        public var uri: String?
        /// The network XML vmnet keeps (and defined from, when libvirt was there).
        public var xmlFile: String
        /// Whether the network was defined in libvirt, or only written for the user to define.
        public var defined: Bool

        public init(uri: String?, xmlFile: String, defined: Bool) {
            self.uri = uri
            self.xmlFile = xmlFile
            self.defined = defined
        }
    }

    public var podmanFile: String?
    public var cniFile: String?
    public var libvirt: Libvirt?

    public init(podmanFile: String? = nil, cniFile: String? = nil, libvirt: Libvirt? = nil) {
        self.podmanFile = podmanFile
        self.cniFile = cniFile
        self.libvirt = libvirt
    }

    public var isEmpty: Bool { podmanFile == nil && cniFile == nil && libvirt == nil }

    public var kinds: [RuntimeKind] {
        RuntimeKind.allCases.filter { kind in
            switch kind {
            case .podman: return podmanFile != nil
            case .cni: return cniFile != nil
            case .libvirt: return libvirt != nil
            }
        }
    }

    public func json() -> JSONValue {
        var object = JSONObject()
        if let podmanFile { object["podman"] = .object(["file": .string(podmanFile)]) }
        if let cniFile { object["cni"] = .object(["file": .string(cniFile)]) }
        if let libvirt {
            object["libvirt"] = .object([
                "uri": JSONValue(libvirt.uri), "xml": .string(libvirt.xmlFile), "defined": .bool(libvirt.defined),
            ])
        }
        return .object(object)
    }

    public init(json: JSONValue) {
        podmanFile = json["podman"]?["file"]?.stringValue
        cniFile = json["cni"]?["file"]?.stringValue
        if let libvirt = json["libvirt"], let xml = libvirt["xml"]?.stringValue {
            self.libvirt = Libvirt(uri: libvirt["uri"]?.stringValue, xmlFile: xml, defined: libvirt["defined"]?.boolValue ?? false)
        }
    }

    /// One line per runtime, for people.
    public var summary: [(String, String)] {
        var lines: [(String, String)] = []
        if let podmanFile { lines.append(("podman", podmanFile)) }
        if let cniFile { lines.append(("cni", cniFile)) }
        if let libvirt {
            let place = libvirt.defined ? "defined in \(libvirt.uri ?? "libvirt")" : "not defined (XML in \(libvirt.xmlFile))"
            lines.append(("libvirt", place))
        }
        return lines
    }
}
