import CLinuxShims
import Glibc
import VmnetCore

/// Links through one `ip -batch -` process per command, whatever the number of bridges.
public struct IprouteLinkManager: LinkManager {
    public let runner: CommandRunner

    public init(runner: CommandRunner) { self.runner = runner }

    public func apply(_ batch: [String]) throws(VmnetError) {
        guard !batch.isEmpty else { return }
        try runner.check(["ip", "-batch", "-"], input: batch.joined(separator: "\n") + "\n", doing: "configuring bridges")
    }

    /// A bridge offloads checksums of locally sent packets to its ports, leaving them
    /// "partial". Old DHCP clients drop such replies, and zeroing the field instead (the usual
    /// nftables answer) breaks clients behind a tap whose partial checksum qemu completes:
    /// iPXE then ignores every offer. With offload off the kernel writes the full checksum,
    /// as iptables' CHECKSUM --checksum-fill did, for every kind of client.
    public func fillChecksums(on bridge: String) throws(VmnetError) {
        let result = vmnet_disable_tx_checksum(bridge)
        if result != 0 {
            throw .failed("turning off checksum offload on \(bridge): \(String(cString: strerror(-result)))")
        }
    }
}
