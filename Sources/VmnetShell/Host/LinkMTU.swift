import Glibc

/// An interface's MTU from the kernel (SIOCGIFMTU on a socket of this network namespace).
/// Not /sys/class/net: sysfs shows the namespace of whoever mounted it, so a process that
/// entered another network namespace but kept its mounts reads the wrong interfaces there.
public enum LinkMTU {
    public static func of(_ interface: String) -> Int? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var request = ifreq()
        let name = Array(interface.utf8.prefix(Int(IFNAMSIZ) - 1))
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { bytes in
            for (index, byte) in name.enumerated() { bytes[index] = byte }
        }
        guard ioctl(socket, UInt(SIOCGIFMTU), &request) == 0 else { return nil }
        return Int(request.ifr_ifru.ifru_mtu)
    }
}
