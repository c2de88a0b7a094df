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
        /// What libvirt said it defined: a network of that name with another UUID or bridge is
        /// someone else's and is never destroyed or undefined.
        public var uuid: String?
        public var bridge: String?

        public init(uri: String?, xmlFile: String, defined: Bool, uuid: String? = nil, bridge: String? = nil) {
            self.uri = uri
            self.xmlFile = xmlFile
            self.defined = defined
            self.uuid = uuid
            self.bridge = bridge
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

    public static let formatVersion = 1

    /// The file's form, or (`versioned: false`) the form `show` and `list` report.
    public func json(versioned: Bool = true) -> JSONValue {
        var object: JSONObject = versioned ? ["version": JSONValue(InstalledRuntimes.formatVersion)] : [:]
        if let podmanFile { object["podman"] = .object(["file": .string(podmanFile)]) }
        if let cniFile { object["cni"] = .object(["file": .string(cniFile)]) }
        if let libvirt {
            object["libvirt"] = .object([
                "uri": JSONValue(libvirt.uri), "xml": .string(libvirt.xmlFile), "defined": .bool(libvirt.defined),
                "uuid": JSONValue(libvirt.uuid), "bridge": JSONValue(libvirt.bridge),
            ])
        }
        return .object(object)
    }

    /// Reads `runtimes.json` strictly: a damaged file must never read as "nothing installed",
    /// or `destroy` would leave the files it names behind.
    public init(text: String, file: String) throws(VmnetError) {
        let reader = try StateFileReader(file: file, text: text, current: InstalledRuntimes.formatVersion)
        let root = reader.root
        try reader.rejectUnknown(root, known: ["version", "podman", "cni", "libvirt"])
        func path(_ key: String) throws(VmnetError) -> String? {
            guard let value = root[key] else { return nil }
            let object = try reader.object(value, key)
            try reader.rejectUnknown(object, known: ["file"], path: key + ".")
            let file = try reader.string(object, "file", path: key + ".")
            guard file.hasPrefix("/") else { throw reader.failure(key + ".file", "'\(file)' is not an absolute path") }
            return file
        }
        podmanFile = try path("podman")
        cniFile = try path("cni")
        if let value = root["libvirt"] {
            let object = try reader.object(value, "libvirt")
            try reader.rejectUnknown(object, known: ["uri", "xml", "defined", "uuid", "bridge"], path: "libvirt.")
            func optional(_ key: String) throws(VmnetError) -> String? {
                guard let value = object[key], !value.isNull else { return nil }
                guard let text = value.stringValue else { throw reader.typeFailure("libvirt." + key, "a string or null", value) }
                return text
            }
            libvirt = Libvirt(
                uri: try optional("uri"), xmlFile: try reader.string(object, "xml", path: "libvirt."),
                defined: try reader.bool(object, "defined", path: "libvirt."), uuid: try optional("uuid"), bridge: try optional("bridge"))
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
