import Glibc
import VmnetCore

/// Interfaces and their IPv4 addresses from getifaddrs(3): netlink under the hood, no
/// process spawned. `up` and `down` need only this; routes are read only to allocate.
public enum InterfaceTable {
    public static func read() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress]) {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw .failed("reading interfaces: \(String(cString: strerror(errno)))") }
        defer { freeifaddrs(list) }
        var interfaces: Set<String> = []
        var addresses: [InterfaceAddress] = []
        var cursor = list
        while let entry = cursor?.pointee {
            defer { cursor = entry.ifa_next }
            let name = String(cString: entry.ifa_name)
            interfaces.insert(name)
            guard let address = entry.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET), let mask = entry.ifa_netmask else { continue }
            let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            let maskValue = mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            addresses.append(InterfaceAddress(interface: name, address: IPv4Address(value), prefixLength: maskValue.nonzeroBitCount))
        }
        return (interfaces, addresses)
    }
}
