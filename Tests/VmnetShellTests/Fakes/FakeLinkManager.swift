@testable import VmnetShell
import VmnetCore

/// Records each link operation and keeps the fake host's links as the kernel would.
struct FakeLinkManager: LinkManager {
    let log: EffectLog

    func apply(_ operations: [LinkOperation]) throws(VmnetError) {
        for operation in operations {
            try log.perform("link: \(operation.description)")
            switch operation {
            case .addBridge(let name, _, _): log.interfaces.insert(name)
            case .addVeth(let name, let peer, _):
                log.interfaces.formUnion([name, peer])
                log.peers[name] = peer
                log.peers[peer] = name
            case .setGroup(let name, let group): log.groups[name] = group
            case .deleteGroup(let group):
                for (name, member) in log.groups where member == group {
                    // A veth goes with its peer.
                    for gone in [name] + [log.peers[name]].compactMap({ $0 }) { log.interfaces.remove(gone) }
                    log.groups[name] = nil
                }
            default: break
            }
        }
    }

    func fillChecksums(on bridge: String) throws(VmnetError) { try log.perform("checksums: \(bridge)") }
}
