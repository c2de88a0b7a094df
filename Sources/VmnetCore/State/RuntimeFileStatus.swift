import JSON

/// Whether a file `vmnet install` wrote is still as vmnet wrote it: runtimes and people may
/// delete or edit it behind vmnet's back, and `show` says so instead of listing it as installed.
public struct RuntimeFileStatus: Hashable, Sendable {
    public enum State: String, Sendable {
        case present
        case missing
        /// It exists but differs from what vmnet writes for the network now.
        case changed
    }

    public let kind: RuntimeKind
    public let path: String
    public let state: State

    public init(kind: RuntimeKind, path: String, state: State) {
        self.kind = kind
        self.path = path
        self.state = state
    }

    /// Checks each installed file against what vmnet renders for `network`; `read` returns a
    /// file's text, or nil when it does not exist.
    public static func check(_ installed: InstalledRuntimes, network: NetworkRecord, read: (String) -> String?) -> [RuntimeFileStatus] {
        var files: [(RuntimeKind, String, String)] = []
        if let file = installed.podmanFile { files.append((.podman, file, PodmanNetworkConfig.render(network))) }
        if let file = installed.cniFile { files.append((.cni, file, CNIConflist.render(network))) }
        if let libvirt = installed.libvirt { files.append((.libvirt, libvirt.xmlFile, LibvirtXML.network(network))) }
        return files.map { kind, path, expected in
            guard let text = read(path) else { return RuntimeFileStatus(kind: kind, path: path, state: .missing) }
            return RuntimeFileStatus(kind: kind, path: path, state: text == expected ? .present : .changed)
        }
    }

    public var json: JSONValue {
        .object(["kind": .string(kind.rawValue), "path": .string(path), "state": .string(state.rawValue)])
    }

    /// For `show`: "FILE (missing)".
    public var summary: (String, String) {
        ("\(kind.rawValue) file", state == .present ? path : "\(path) (\(state == .missing ? "missing: 'vmnet install' writes it again" : "changed by someone else"))")
    }
}
