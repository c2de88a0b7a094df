/// Whether the host can give the networks that want IPv6 their /64: a kernel without IPv6
/// (`ipv6.disable=1`) or `disable_ipv6 = 1` (the default for new links, or a bridge's own)
/// makes the gateway address fail with a bare "Permission denied" deep in bring-up.
public struct IPv6Availability: Sendable {
    public var kernelHasIPv6: Bool
    /// `net.ipv6.conf.default.disable_ipv6`: what a bridge vmnet creates inherits.
    public var disabledByDefault: Bool
    /// Existing bridges whose own `disable_ipv6` is 1.
    public var disabledBridges: Set<String>

    public init(kernelHasIPv6: Bool = true, disabledByDefault: Bool = false, disabledBridges: Set<String> = []) {
        self.kernelHasIPv6 = kernelHasIPv6
        self.disabledByDefault = disabledByDefault
        self.disabledBridges = disabledBridges
    }

    /// The refusal for the first network that wants IPv6 and cannot have it; `existing`: the
    /// bridges present now. `creating`: the fix is a create option rather than a re-create.
    public func problem(for records: [NetworkRecord], existing: Set<String>, creating: Bool) -> VmnetError? {
        for record in records where record.hasIPv6 {
            let why: String
            if !kernelHasIPv6 {
                why = "the kernel has no IPv6 (booted with ipv6.disable=1?)"
            } else if existing.contains(record.bridge) {
                guard disabledBridges.contains(record.bridge) else { continue }
                why = "net.ipv6.conf.\(record.bridge).disable_ipv6 is 1"
            } else {
                guard disabledByDefault else { continue }
                why = "net.ipv6.conf.default.disable_ipv6 is 1, so its new bridge would have none"
            }
            let fix = creating
                ? "create it with --no-ipv6 (or \"ipv6\": \"off\" in its profile), or enable IPv6"
                : "enable IPv6, or destroy it and create it again with --no-ipv6"
            return VmnetError(.missingDependency, "network '\(record.name)' wants IPv6 (\(record.subnet6!)), but \(why): \(fix)")
        }
        return nil
    }
}
