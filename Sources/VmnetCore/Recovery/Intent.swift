import JSON

/// What a changing command is about to do, written (durably) before it does anything, and
/// removed when it returns. One found by the next command means a command was killed: the
/// next one finishes or undoes it (see `RecoveryPlanner`) before doing its own work.
public struct Intent: Hashable, Sendable {
    public enum Command: String, Hashable, Sendable, CaseIterable {
        case create, up, down, destroy, hostAdd = "host add", hostRemove = "host rm", install, uninstall, set
    }

    public var command: Command
    /// The networks it changes; nil for every recorded network (`--all`).
    public var networks: [NetworkName]?
    /// The links it may create (bridges, keeper ports): a killed command may leave any of them.
    public var links: [String]
    /// What it is about to do, in words, for whoever reads the file.
    public var effects: [String]

    public init(_ command: Command, networks: [NetworkName]?, links: [String] = [], effects: [String] = []) {
        self.command = command
        self.networks = networks
        self.links = links
        self.effects = effects
    }

    /// A command that brings `records` up (create, up): the links it may create and its steps.
    public static func bringingUp(_ command: Command, networks: [NetworkName]?, records: [NetworkRecord]) -> Intent {
        var links: [String] = []
        var effects: [String] = []
        for record in records {
            let keeper = BridgeNamer.keeperPort(for: record.bridge)
            links += [record.bridge, keeper.port, keeper.peer]
            effects += [
                "record \(record.name) as up", "create bridge \(record.bridge) and keeper pair \(keeper.port)",
                "write the dnsmasq files and host lists of \(record.name)", "start dnsmasq for \(record.name)",
                "add \(record.bridge) to the \(record.firewall.rawValue) rules",
            ]
        }
        return Intent(command, networks: networks, links: links, effects: effects)
    }

    /// A command that takes `records` down (down, destroy).
    public static func takingDown(_ command: Command, networks: [NetworkName]?, records: [NetworkRecord]) -> Intent {
        var effects: [String] = []
        for record in records {
            if command == .destroy { effects.append("remove the runtime definitions of \(record.name)") }
            effects += [
                "stop the dnsmasq of \(record.name)", "remove \(record.bridge) from the \(record.firewall.rawValue) rules",
                "delete bridge \(record.bridge) and its keeper pair",
            ]
            effects.append(command == .destroy ? "remove the state and run directories of \(record.name)" : "record \(record.name) as down")
        }
        return Intent(command, networks: networks, effects: effects)
    }

    public static let formatVersion = 1
    public static let fileName = "intent.json"

    public var json: JSONValue {
        .object([
            "version": JSONValue(Intent.formatVersion), "command": .string(command.rawValue),
            "networks": networks.map { JSONValue($0.map(\.value)) } ?? .null,
            "links": JSONValue(links), "effects": JSONValue(effects),
        ])
    }

    /// Reads the journal strictly; a newer version is refused like every state file.
    public init(text: String, file: String) throws(VmnetError) {
        let reader = try StateFileReader(file: file, text: text, current: Intent.formatVersion)
        let root = reader.root
        try reader.rejectUnknown(root, known: ["version", "command", "networks", "links", "effects"])
        let name = try reader.string(root, "command")
        guard let command = Command(rawValue: name) else {
            throw reader.failure("command", "unknown command '\(name)'; known: \(Command.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.command = command
        func strings(_ key: String) throws(VmnetError) -> [String]? {
            guard let value = root[key], !value.isNull else { return nil }
            guard let items = value.arrayValue else { throw reader.typeFailure(key, "an array of strings", value) }
            var result: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw reader.typeFailure(key, "an array of strings", item) }
                result.append(text)
            }
            return result
        }
        if let names = try strings("networks") {
            var parsed: [NetworkName] = []
            for text in names {
                do { parsed.append(try NetworkName(text)) } catch { throw reader.failure("networks", error.message) }
            }
            networks = parsed
        } else {
            networks = nil
        }
        links = try strings("links") ?? []
        effects = try strings("effects") ?? []
    }
}
