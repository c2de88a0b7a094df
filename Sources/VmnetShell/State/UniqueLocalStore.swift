import JSON
import VmnetCore

/// Keeps this host's unique local /48 in `STATE/ula.json`: drawn from the kernel's random
/// source the first time a network needs IPv6, then read back, so /64s stay stable.
public struct UniqueLocalStore: Sendable {
    public static let formatVersion = 1
    public let file: String

    public init(paths: Paths) { file = paths.stateDirectory + "/ula.json" }

    /// The stored prefix, or nil when none was drawn yet; a damaged file is an error naming it.
    public func load() throws(VmnetError) -> UniqueLocalPrefix? {
        try StateFile.read(file) { (text) throws(VmnetError) in
            let reader = try StateFileReader(file: file, text: text, current: UniqueLocalStore.formatVersion)
            try reader.rejectUnknown(reader.root, known: ["version", "prefix"])
            let prefixText = try reader.string(reader.root, "prefix")
            guard let prefix = UniqueLocalPrefix(subnet: prefixText) else {
                throw reader.failure("prefix", "'\(prefixText)' is not an fd00::/8 /48: delete \(file) to draw a new one (every network's IPv6 /64 then changes at its next create)")
            }
            return prefix
        }
    }

    /// The stored prefix, or a newly drawn one that `save` must keep once it is used (a
    /// refused create then leaves no file behind).
    public func loadOrDraw() throws(VmnetError) -> (prefix: UniqueLocalPrefix, drawn: Bool) {
        if let prefix = try load() { return (prefix, false) }
        // SystemRandomNumberGenerator reads the kernel's getrandom(2), as RFC 4193 asks.
        var generator = SystemRandomNumberGenerator()
        return (UniqueLocalPrefix(globalID: generator.next()), true)
    }

    public func save(_ prefix: UniqueLocalPrefix) throws(VmnetError) {
        let text = JSONCodec.serialize(.object(["version": JSONValue(UniqueLocalStore.formatVersion), "prefix": .string(prefix.description)]))
        try FileSystem.writeAtomically(text + "\n", to: file, durable: true)
    }
}
