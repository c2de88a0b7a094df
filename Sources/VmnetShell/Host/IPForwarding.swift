import VmnetCore

/// net.ipv4.ip_forward, which NAT networks need. It is shared with Docker, libvirt and router
/// setups, which may have come to rely on it after vmnet turned it on: so vmnet follows
/// libvirt's rule, turning it on when needed and never off.
public struct IPForwarding: Sendable {
    public static let sysctlFile = "/proc/sys/net/ipv4/ip_forward"
    public let file: String
    /// The family's name in messages ("IPv4", "IPv6").
    let family: String

    public init(file: String = IPForwarding.sysctlFile, family: String = "IPv4") {
        self.file = file
        self.family = family
    }

    public var isOn: Bool { FileSystem.readIfPresent(file)?.hasPrefix("1") == true }

    /// Turns forwarding on unless it is on already.
    public func enable() throws(VmnetError) {
        guard !isOn else { return }
        if let why = Sysctl.write("1", to: file) {
            throw .failed("enabling \(family) forwarding: \(why): run vmnet as root, with /proc/sys writable")
        }
    }
}
