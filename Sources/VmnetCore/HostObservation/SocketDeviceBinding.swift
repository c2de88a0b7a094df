/// Which sockets are bound to one interface (SO_BINDTODEVICE), which /proc/net/udp does not
/// show: read from `ss -H -l -n -e` output, where the local address reads `0.0.0.0%virbr0:67`
/// and the inode `ino:N`. libvirt's dnsmasq holds 0.0.0.0:67 that way: it sees DHCP from
/// virbr0 only and takes nothing meant for vmnet's bridges.
public enum SocketDeviceBinding {
    /// Inode → interface, for each socket bound to an interface.
    public static func devices(ssOutput text: String) -> [UInt64: String] {
        var devices: [UInt64: String] = [:]
        for line in text.split(separator: "\n") {
            // The local address is the first word with a port (a Netid column comes first when
            // ss lists more than one protocol).
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let local = words.first(where: { word in word.lastIndex(of: ":").map { UInt16(word[word.index(after: $0)...]) != nil } ?? false }),
                let colon = local.lastIndex(of: ":"), let percent = local[..<colon].lastIndex(of: "%"),
                let inode = words.lazy.compactMap({ $0.hasPrefix("ino:") ? UInt64($0.dropFirst(4)) : nil }).first
            else { continue }
            devices[inode] = String(local[local.index(after: percent)..<colon])
        }
        return devices
    }
}
