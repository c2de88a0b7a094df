/// One change to links or addresses, as the planner decides it and the shell performs it.
public enum LinkOperation: Hashable, Sendable, CustomStringConvertible {
    /// A bridge with STP off and no forward delay (a new port forwards at once), its fixed
    /// MAC, and br_netfilter's nf_call_* switches off.
    case addBridge(name: String, mtu: Int, mac: MACAddress)
    /// Re-asserts an existing bridge's fixed MAC and nf_call_* switches.
    case settleBridge(name: String, mac: MACAddress)
    case addVeth(name: String, peer: String, mtu: Int)
    /// No IPv6 link-local address (and so no DAD or router solicitations) when it comes up.
    case disableIPv6Addresses(name: String)
    case setMaster(name: String, master: String)
    case setMTU(name: String, mtu: Int)
    case replaceAddress(name: String, address: IPv4Address, prefixLength: Int)
    /// Without duplicate address detection: vmnet owns the /64, and a tentative gateway would
    /// delay dnsmasq's router advertisements and DHCPv6 by a second or more.
    case replaceAddress6(name: String, address: IPv6Address, prefixLength: Int)
    case setUp(name: String)
    case setGroup(name: String, group: Int)
    case deleteGroup(Int)

    /// The same change as an `ip` command, for messages and tests.
    public var description: String {
        switch self {
        case .addBridge(let name, let mtu, let mac):
            return "ip link add name \(name) mtu \(mtu) address \(mac) type bridge stp_state 0 forward_delay 0 \(LinkOperation.switchesOff)"
        case .settleBridge(let name, let mac): return "ip link set dev \(name) address \(mac) type bridge \(LinkOperation.switchesOff)"
        case .addVeth(let name, let peer, let mtu): return "ip link add name \(name) mtu \(mtu) type veth peer name \(peer) mtu \(mtu)"
        case .disableIPv6Addresses(let name): return "ip link set dev \(name) addrgenmode none"
        case .setMaster(let name, let master): return "ip link set dev \(name) master \(master)"
        case .setMTU(let name, let mtu): return "ip link set dev \(name) mtu \(mtu)"
        case .replaceAddress(let name, let address, let prefixLength): return "ip address replace \(address)/\(prefixLength) dev \(name)"
        case .replaceAddress6(let name, let address, let prefixLength): return "ip address replace \(address)/\(prefixLength) dev \(name) nodad"
        case .setUp(let name): return "ip link set dev \(name) up"
        case .setGroup(let name, let group): return "ip link set dev \(name) group \(group)"
        case .deleteGroup(let group): return "ip link delete group \(group)"
        }
    }

    private static let switchesOff = "nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0"
}
