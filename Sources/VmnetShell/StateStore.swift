import JSON
import VmnetCore

/// Network records on disk: one `network.json` per network, written atomically.
public struct StateStore: Sendable {
    public let paths: Paths

    public init(paths: Paths) { self.paths = paths }

    public func load(_ name: NetworkName) throws(VmnetError) -> NetworkRecord? {
        let file = paths.recordFile(of: name)
        guard let text = FileSystem.readIfPresent(file) else { return nil }
        return try decode(text, file: file)
    }

    public func require(_ name: NetworkName) throws(VmnetError) -> NetworkRecord {
        guard let record = try load(name) else {
            throw .notFound("network '\(name)' does not exist: 'vmnet list' shows the networks, 'vmnet create \(name)' makes it")
        }
        return record
    }

    public func loadAll() throws(VmnetError) -> [NetworkRecord] {
        var records: [NetworkRecord] = []
        for entry in FileSystem.list(paths.networksDirectory) {
            guard let name = try? NetworkName(entry) else { continue }
            if let record = try load(name) { records.append(record) }
        }
        return records
    }

    public func save(_ record: NetworkRecord) throws(VmnetError) {
        try FileSystem.makeDirectories(paths.stateDirectory(of: record.name))
        try FileSystem.writeAtomically(JSONCodec.serialize(NetworkRecordCoding.encode(record)), to: paths.recordFile(of: record.name))
    }

    /// Saves a record that `down` marked down: it must succeed on a full disk (see
    /// `FileSystem.writeAtomicallyOrInPlace`).
    public func saveDown(_ record: NetworkRecord) throws(VmnetError) {
        try FileSystem.writeAtomicallyOrInPlace(JSONCodec.serialize(NetworkRecordCoding.encode(record)), to: paths.recordFile(of: record.name))
    }

    /// Forgets a network: its record, leases and host lists, and its run directory.
    public func delete(_ name: NetworkName) {
        FileSystem.removeTree(paths.stateDirectory(of: name))
        FileSystem.removeTree(paths.runDirectory(of: name))
    }

    private func decode(_ text: String, file: String) throws(VmnetError) -> NetworkRecord {
        let value: JSONValue
        do { value = try JSONCodec.parse(text, source: file) } catch {
            throw .failed("reading \(error): restore the file or remove its directory")
        }
        return try NetworkRecordCoding.decode(value, source: file)
    }
}
