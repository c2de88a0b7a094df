import Glibc
import VmnetCore

/// The real host: getifaddrs, PATH and the effective user.
public struct SystemHost: HostReader {
    public init() {}

    public func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress]) { try InterfaceTable.read() }

    public func addresses6() -> [InterfaceAddress6] { InterfaceTable.read6() }

    public func executable(_ program: String) -> String? { ExecutableLocator.find(program) }

    public var isPrivileged: Bool { geteuid() == 0 }
}
