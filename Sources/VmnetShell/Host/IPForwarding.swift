import VmnetCore

/// net.ipv4.ip_forward, which NAT networks need. It is shared with Docker, libvirt and router
/// setups, which may have come to rely on it after vmnet turned it on: so vmnet follows
/// libvirt's rule, turning it on when needed and never off.
public struct IPForwarding: Sendable {
    public static let sysctlFile = "/proc/sys/net/ipv4/ip_forward"
    public let file: String

    public init(file: String = IPForwarding.sysctlFile) { self.file = file }

    public var isOn: Bool { FileSystem.readIfPresent(file)?.hasPrefix("1") == true }

    /// Turns forwarding on unless it is on already.
    public func enable() throws(VmnetError) {
        guard !isOn else { return }
        if let why = Sysctl.write("1", to: file) { throw failure(why) }
    }

    private func failure(_ why: String) -> VmnetError {
        .failed("enabling IPv4 forwarding: \(why): run vmnet as root, with /proc/sys writable")
    }
}
