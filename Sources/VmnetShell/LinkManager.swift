import VmnetCore

/// Changes links and addresses.
public protocol LinkManager: Sendable {
    /// Applies `ip -batch` lines in one go, stopping at the first failure.
    func apply(_ batch: [String]) throws(VmnetError)
    /// Makes the kernel write full checksums on what the host sends through `bridge`.
    func fillChecksums(on bridge: String) throws(VmnetError)
}
