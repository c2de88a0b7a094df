/// Derives a network's bridge name: `vmn-NAME` when it fits the kernel's 15 characters,
/// otherwise the name's start and a short hash. Deterministic, so the same network gets the
/// same bridge on every host; `taken` pushes it to another hash on a clash.
public enum BridgeNamer {
    public static let prefix = "vmn-"
    public static let maximumLength = 15

    public static func bridgeName(for name: NetworkName, taken: Set<String>) -> String {
        let plain = prefix + name.value
        if plain.count <= maximumLength && !taken.contains(plain) { return plain }
        let stem = String(name.value.prefix(6))
        var salt = 0
        while true {
            let hash = FNVHash.hash(salt == 0 ? name.value : "\(name.value)#\(salt)")
            let suffix = String(String(hash, radix: 16).suffix(4))
            let padded = String(repeating: "0", count: 4 - suffix.count) + suffix
            let candidate = "\(prefix)\(stem)-\(padded)"
            if !taken.contains(candidate) { return candidate }
            salt += 1
        }
    }

    /// Whether a user-chosen bridge name is acceptable to the kernel.
    public static func problem(with bridge: String) -> String? {
        if bridge.isEmpty || bridge.count > maximumLength {
            return "bridge name '\(bridge)' must be 1 to \(maximumLength) characters"
        }
        let allowed = bridge.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        if !allowed || bridge == "." || bridge == ".." {
            return "bridge name '\(bridge)' may use only letters, digits, '-', '_' and '.'"
        }
        return nil
    }

    /// The permanent port kept on every vmnet bridge and its veth peer. netavark before 1.14
    /// deletes a bridge when its last container leaves unless the bridge has another port.
    public static func keeperPort(for bridge: String) -> (port: String, peer: String) {
        let hash = String(FNVHash.hash(bridge) & 0xffff_ffff, radix: 16)
        let padded = String(repeating: "0", count: 8 - hash.count) + hash
        return ("vmp-" + padded, "vmq-" + padded)
    }
}
