import Glibc
import VmnetCore

/// Interfaces and their addresses from getifaddrs(3): netlink under the hood, no
/// process spawned. `up` and `down` need only this; routes are read only to allocate.
public enum InterfaceTable {
    public static func read() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>]) {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw .failed("reading interfaces: \(String(cString: strerror(errno)))") }
        defer { freeifaddrs(list) }
        return addresses4(in: list)
    }

    private static func addresses4(in list: UnsafeMutablePointer<ifaddrs>?) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>]) {
        var interfaces: Set<String> = []
        var addresses: [InterfaceAddress<IPv4Address>] = []
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

    /// Both families from one getifaddrs(3) call (one netlink dump of every link and address,
    /// which `up` and `list` of hundreds of networks would otherwise pay twice).
    public static func readBoth() throws(VmnetError) -> (interfaces: Set<String>, addresses: [InterfaceAddress<IPv4Address>], addresses6: [InterfaceAddress<IPv6Address>]) {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw .failed("reading interfaces: \(String(cString: strerror(errno)))") }
        defer { freeifaddrs(list) }
        let (interfaces, addresses) = addresses4(in: list)
        return (interfaces, addresses, addresses6(in: list))
    }

    private static func addresses6(in list: UnsafeMutablePointer<ifaddrs>?) -> [InterfaceAddress<IPv6Address>] {
        var addresses: [InterfaceAddress<IPv6Address>] = []
        var cursor = list
        while let entry = cursor?.pointee {
            defer { cursor = entry.ifa_next }
            guard let address = entry.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET6), let mask = entry.ifa_netmask else { continue }
            func halves(_ pointer: UnsafeMutablePointer<sockaddr>) -> IPv6Address {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { socket in
                    withUnsafeBytes(of: socket.pointee.sin6_addr) { bytes in
                        var high: UInt64 = 0, low: UInt64 = 0
                        for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
                        return IPv6Address(high: high, low: low)
                    }
                }
            }
            let value = halves(address)
            guard value.high >> 54 != 0x3fa else { continue }
            let maskValue = halves(mask)
            addresses.append(InterfaceAddress(
                interface: String(cString: entry.ifa_name), address: value,
                prefixLength: maskValue.high.nonzeroBitCount + maskValue.low.nonzeroBitCount))
        }
        return addresses
    }
}
