import Glibc
import VmnetCore

/// net.ipv4.ip_forward, which NAT networks need. vmnet turns it on only when it was off,
/// and leaves a mark so that it turns it back off after its last NAT network goes down.
public struct IPForwarding: Sendable {
    public static let sysctlFile = "/proc/sys/net/ipv4/ip_forward"
    public let markFile: String

    public init(markFile: String) { self.markFile = markFile }

    public var isOn: Bool { FileSystem.readIfPresent(IPForwarding.sysctlFile)?.hasPrefix("1") == true }

    /// Turns forwarding on; returns true when this call changed it.
    public func enable() throws(VmnetError) -> Bool {
        guard !isOn else { return false }
        try FileSystem.writeAtomically("", to: markFile)
        do {
            try write("1")
        } catch {
            FileSystem.remove(markFile)
            throw error
        }
        return true
    }

    /// Turns forwarding off again if vmnet was the one that turned it on.
    public func restore() {
        guard FileSystem.exists(markFile) else { return }
        try? write("0")
        FileSystem.remove(markFile)
    }

    private func write(_ value: String) throws(VmnetError) {
        guard let file = fopen(IPForwarding.sysctlFile, "w") else {
            throw .failed("enabling IPv4 forwarding: cannot open \(IPForwarding.sysctlFile) (run vmnet as root)")
        }
        fputs(value + "\n", file)
        fclose(file)
    }
}
