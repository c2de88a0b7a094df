import JSON
import VmnetCore

/// Network records on disk: one `network.json` per network, written atomically. A record
/// that cannot be read makes its own network `broken`, never the others unusable.
public struct StateStore: Sendable {
    public let paths: Paths

    public init(paths: Paths) { self.paths = paths }

    public enum Entry: Sendable {
        case record(NetworkRecord)
        case broken(BrokenNetwork)
    }

    /// The network's record, or nil when it has none; a damaged record is an error naming
    /// file, line and key.
    public func load(_ name: NetworkName) throws(VmnetError) -> NetworkRecord? {
        switch entry(name) {
        case .record(let record): return record
        case .broken(let broken): throw StateStore.error(broken)
        case nil: return nil
        }
    }

    public func entry(_ name: NetworkName) -> Entry? {
        let file = paths.recordFile(of: name)
        do throws(VmnetError) {
            return try StateFile.read(file) { (text) -> Entry in
                do throws(VmnetError) { return .record(try NetworkRecordCoding.decode(text: text, file: file)) } catch {
                    return .broken(BrokenNetwork(name: name, problem: error.message, recordedBridge: NetworkRecordCoding.salvageBridge(text: text)))
                }
            }
        } catch {
            return .broken(BrokenNetwork(name: name, problem: error.message, recordedBridge: nil))
        }
    }

    public static func error(_ broken: BrokenNetwork) -> VmnetError {
        .failed("\(broken.problem): restore the file, or 'vmnet destroy \(broken.name)' removes what is left of the network")
    }

    public func require(_ name: NetworkName) throws(VmnetError) -> NetworkRecord {
        guard let record = try load(name) else {
            throw .notFound("network '\(name)' does not exist: 'vmnet list' shows the networks, 'vmnet create \(name)' makes it")
        }
        return record
    }

    /// Every network with a record, readable or not.
    public func scan() -> (records: [NetworkRecord], broken: [BrokenNetwork]) {
        var records: [NetworkRecord] = []
        var broken: [BrokenNetwork] = []
        for entry in FileSystem.list(paths.networksDirectory) {
            guard let name = try? NetworkName(entry) else { continue }
            switch self.entry(name) {
            case .record(let record): records.append(record)
            case .broken(let damaged): broken.append(damaged)
            case nil: continue
            }
        }
        return (records, broken)
    }

    /// The readable records; broken ones are left out (see `scan`).
    public func loadAll() throws(VmnetError) -> [NetworkRecord] { scan().records }

    /// Writes a record, fsync'ed unless `durable` is false. A new record must survive a power
    /// loss (it holds the subnet, the MAC and the ULA /64 guests were given); the flips of
    /// `enabled` by up and down need not: after a power loss nothing is up anyway, and which
    /// networks come back is the boot unit's choice. They are batched by `up --all`, where two
    /// fsyncs per network (a durable write took 0.67 ms against 0.13 ms here) would add ~27 ms to 50.
    public func save(_ record: NetworkRecord, durable: Bool = true) throws(VmnetError) {
        try FileSystem.makeDirectories(paths.stateDirectory(of: record.name))
        try FileSystem.writeAtomically(JSONCodec.serialize(NetworkRecordCoding.encode(record)), to: paths.recordFile(of: record.name), durable: durable)
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
}
