import VmnetCore

/// What the controller reads from the host directly (not through a command): injected so the
/// controller's tests run without root against a host of their own making.
public protocol HostReader: Sendable {
    /// The interfaces and their IPv4 addresses.
    func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress])
    /// The full path of `program` when it is installed.
    func executable(_ program: String) -> String?
    /// Whether the caller may change links, rules and system files.
    var isPrivileged: Bool { get }
    /// The interfaces' IPv6 addresses, link-local ones left out.
    func addresses6() -> [InterfaceAddress6]
}

extension HostReader {
    /// The interfaces' IPv6 addresses, link-local ones left out; none unless the reader knows.
    public func addresses6() -> [InterfaceAddress6] { [] }
}
