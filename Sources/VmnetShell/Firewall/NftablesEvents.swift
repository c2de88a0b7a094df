import CLinuxShims
import Glibc
import VmnetCore

/// The kernel's notifications of nftables changes (the NFNLGRP_NFTABLES netlink group). On
/// hosts where iptables is iptables-nft, every firewall tool changes the ruleset through
/// nftables — firewalld (either backend), dockerd, ufw, iptables-restore, nft — so one socket
/// hears them all. Legacy iptables sends nothing.
public final class NftablesEvents {
    public let descriptor: Int32

    public init() throws(VmnetError) {
        let result = vmnet_nftables_events_open()
        guard result >= 0 else {
            throw .failed("listening for nftables changes: \(String(cString: strerror(-result))): the kernel needs nf_tables (CONFIG_NF_TABLES)")
        }
        descriptor = result
    }

    deinit { close(descriptor) }

    /// Reads every queued notification and returns how many there were.
    @discardableResult
    public func drain() -> Int { max(0, Int(vmnet_nftables_events_drain(descriptor))) }
}
