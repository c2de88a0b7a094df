import Glibc
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
        // A sysctl refuses a value at write(), not at open(): check both, and close.
        let descriptor = open(file, O_WRONLY)
        guard descriptor >= 0 else { throw failure("cannot open \(file): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = write(descriptor, "1\n", 2)
        guard written == 2 else { throw failure("writing \(file) failed: \(String(cString: strerror(errno)))") }
    }

    private func failure(_ why: String) -> VmnetError {
        .failed("enabling IPv4 forwarding: \(why): run vmnet as root, with /proc/sys writable")
    }
}
