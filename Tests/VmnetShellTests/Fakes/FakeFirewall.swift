@testable import VmnetShell
import VmnetCore

/// Records the networks each `apply` installs rules for.
struct FakeFirewall: FirewallBackend {
    let kind: FirewallKind
    let log: EffectLog
    var isAvailable: Bool { true }

    func apply(
        _ networks: [NetworkRecord], allBridges: [String], previous: (networks: [NetworkRecord], bridges: [String])?,
        touched: [NetworkRecord], keepTable: Bool, forwards: [ResolvedForward], previousForwards: [ResolvedForward]
    ) throws(VmnetError) {
        try log.perform("firewall \(kind.rawValue): [\(networks.map(\.name.value).joined(separator: ","))]")
    }

    func installedBridges() -> Set<String> { [] }
}
