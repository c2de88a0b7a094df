import JSON

/// A profile's `ipv6` key: no IPv6, a /64 from this host's unique local /48, or /64s from
/// the pools given.
public enum IPv6Setting: Hashable, Sendable, CustomStringConvertible {
    case off
    case ula
    case pools([IPv6Subnet])

    public var description: String {
        switch self {
        case .off: return "off"
        case .ula: return "ula"
        case .pools(let pools): return pools.map(\.description).joined(separator: ", ")
        }
    }

    /// As a profile writes it: "off", "ula" or an array of pools.
    public var json: JSONValue {
        switch self {
        case .off: return .string("off")
        case .ula: return .string("ula")
        case .pools(let pools): return .array(pools.map { .string($0.description) })
        }
    }
}
