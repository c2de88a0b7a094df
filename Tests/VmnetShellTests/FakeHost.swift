@testable import VmnetShell
import VmnetCore

/// The fake host's links, every tool installed, and root (the check is the controller's).
struct FakeHost: HostReader {
    let log: EffectLog
    var privileged = true

    func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress]) { (log.interfaces, []) }
    func executable(_ program: String) -> String? { "/usr/bin/" + program }
    var isPrivileged: Bool { privileged }
}
