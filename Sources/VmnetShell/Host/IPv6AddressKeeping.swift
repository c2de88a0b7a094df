import VmnetCore

/// `net.ipv6.conf.BRIDGE.keep_addr_on_down=1` on vmnet's bridges. Whoever sets a bridge down
/// and up again (a network manager at resume, a user's `ip link set … down`) would otherwise
/// take its IPv6 addresses with it — measured: the IPv4 gateway stayed, the IPv6 gateway
/// `::1/64` was gone until the next `vmnet up`, and guests lost NAT66 and DNS over IPv6.
struct IPv6AddressKeeping {
    /// /proc, or a directory laid out like it (tests).
    let procRoot: String

    /// Best effort, on every `up`: a kernel without the switch (or a bridge whose IPv6 is off)
    /// loses nothing it had, and doctor's `gateway6-address` check still names a lost gateway.
    func keep(on bridges: [String]) {
        for bridge in bridges {
            let file = procRoot + "/sys/net/ipv6/conf/\(bridge)/keep_addr_on_down"
            if FileSystem.exists(file) { _ = Sysctl.write("1", to: file) }
        }
    }
}
