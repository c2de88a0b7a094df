@testable import VmnetShell
import VmnetCore

/// The fake host's links, every tool installed but the `missing` ones, and root (the check is the controller's).
struct FakeHost: HostReader {
    let log: EffectLog
    var privileged = true
    /// Programs this host lacks.
    var missing: Set<String> = []

    func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>]) { (log.interfaces, []) }
    func executable(_ program: String) -> String? { missing.contains(program) ? nil : "/usr/bin/" + program }
    var isPrivileged: Bool { privileged }
}
