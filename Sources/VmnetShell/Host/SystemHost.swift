import Glibc
import VmnetCore

/// The real host: getifaddrs, PATH and the effective user.
public struct SystemHost: HostReader {
    public init() {}

    public func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>]) { try InterfaceTable.read() }

    public func addressTable() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>], addresses6: [InterfaceAddress<IPv6Address>]) {
        try InterfaceTable.readBoth()
    }

    public func executable(_ program: String) -> String? { ExecutableLocator.find(program) }

    public var isPrivileged: Bool { geteuid() == 0 }
}
