/// 64-bit FNV-1a. Swift's own Hasher is seeded per process; vmnet needs the same value for
/// the same name on every run (preferred subnet slots, bridge names).
public enum FNVHash {
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
