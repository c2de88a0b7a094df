@testable import VmnetShell
import VmnetCore

/// Records the networks each `apply` installs rules for.
struct FakeFirewall: FirewallBackend {
    let kind: FirewallKind
    let log: EffectLog
    var isAvailable: Bool { true }

    func apply(_ change: FirewallChange) throws(VmnetError) {
        try log.perform("firewall \(kind.rawValue): [\(change.networks.map(\.name.value).joined(separator: ","))]")
    }

    func installedBridges() -> Set<String> { [] }
}
