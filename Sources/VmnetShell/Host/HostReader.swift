import VmnetCore

/// What the controller reads from the host directly (not through a command): the host's
/// files (`HostAccess`) and its interfaces. Injected so the controller's tests run without
/// root against a host of their own making.
public protocol HostReader: HostAccess {
    /// The interfaces and their IPv4 addresses.
    func interfaces() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>])
    /// `interfaces()` and the IPv6 addresses (link-local ones left out), read together.
    func addressTable() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>], addresses6: [InterfaceAddress<IPv6Address>])
}

extension HostReader {
    /// No IPv6 addresses unless the reader knows them.
    public func addressTable() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>], addresses6: [InterfaceAddress<IPv6Address>]) {
        let (interfaces, addresses) = try self.interfaces()
        return (interfaces, addresses, [])
    }
}
