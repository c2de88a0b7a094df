import JSON
import VmnetCore

/// The guests' ports vmnet has seen on a network's bridge (`ports.json` in its state
/// directory), so that `up` can attach them again. Kept apart from the record: ports come
/// and go with guests, and `down` must not rewrite the record for them (nor, on a full
/// disk, write anything it does not need). No file means no ports.
public struct PortMemory: Sendable {
    public let paths: Paths

    public init(paths: Paths) { self.paths = paths }

    private func file(_ name: NetworkName) -> String { paths.stateDirectory(of: name) + "/ports.json" }

    public func load(_ name: NetworkName) throws(VmnetError) -> [String] {
        try StateFile.read(file(name), fix: "remove the file") { (text) throws(VmnetError) in try decode(text, file: file(name)) } ?? []
    }

    private func decode(_ text: String, file: String) throws(VmnetError) -> [String] {
        let value: JSONValue
        do { value = try JSONCodec.parse(text, source: file) } catch { throw .failed("reading \(error)") }
        guard let items = value.arrayValue else { throw .failed("reading \(file): expected an array of interface names, found \(value.typeName)") }
        var names: [String] = []
        for item in items {
            guard let name = item.stringValue else { throw .failed("reading \(file): expected an interface name, found \(item.typeName)") }
            names.append(name)
        }
        return names
    }

    /// Writes the ports when they differ from the remembered ones; none removes the file.
    public func save(_ ports: [String], for name: NetworkName) throws(VmnetError) {
        let sorted = ports.sorted()
        guard try load(name) != sorted else { return }
        if sorted.isEmpty {
            FileSystem.remove(file(name))
        } else {
            try FileSystem.writeAtomically(JSONCodec.serialize(JSONValue(sorted)), to: file(name))
        }
    }

    /// Remembers what is attached to the bridge now; a missing bridge changes nothing.
    public func observe(_ record: NetworkRecord) throws(VmnetError) -> [String]? {
        let attached = BridgePorts.guests(of: record.bridge)
        if let attached { try save(attached, for: record.name) }
        return attached
    }
}
