import VmnetCore

/// Changes links and addresses.
public protocol LinkManager: Sendable {
    /// Performs the operations in order, stopping at the first failure.
    func apply(_ operations: [LinkOperation]) throws(VmnetError)
    /// Makes the kernel write full checksums on what the host sends through `bridge`.
    func fillChecksums(on bridge: String) throws(VmnetError)
}
