/// doctor's verdicts on a cluster member and its OVN networks, from what the shell read: the
/// northbound and southbound databases, the local Open vSwitch's tunnels, the underlay's MTU.
/// Host checks have no network; `ovn-ports` and `ovn-mtu` belong to a network.
public enum OVNDiagnosis {
    /// One logical port of a network as the databases show it.
    public struct Port: Hashable, Sendable {
        public var name: String
        public var up: Bool
        /// The chassis it is bound on; nil when none claimed it.
        public var chassis: String?

        public init(name: String, up: Bool, chassis: String?) {
            self.name = name
            self.up = up
            self.chassis = chassis
        }
    }

    /// `ovn-nb`: `failure` is why the northbound database did not answer, nil when it did.
    public static func northbound(address: String, failure: String?) -> DoctorFinding {
        guard let failure else { return .ok(nil, "ovn-nb", "the northbound database at \(address) answers") }
        return DoctorFinding(network: nil, check: "ovn-nb", status: .fail, detail: failure,
                             fix: "start ovn-northd's databases on the central host, or correct the address ('vmnet cluster leave' then join again)")
    }

    /// `ovn-chassis`: this host's chassis is in the southbound database and its ovn-controller
    /// applied a fresh northbound change (`connected`).
    public static func chassis(_ name: String, southbound: String, registered: Bool, connected: Bool) -> DoctorFinding {
        let start = "start ovn-controller on this host ('systemctl start ovn-controller') and check that the local Open vSwitch's "
            + "external_ids:ovn-remote is \(southbound)"
        if !registered {
            return DoctorFinding(network: nil, check: "ovn-chassis", status: .fail,
                                 detail: "chassis \(name) is not in the southbound database at \(southbound)", fix: start)
        }
        if !connected {
            return DoctorFinding(network: nil, check: "ovn-chassis", status: .fail,
                                 detail: "chassis \(name)'s ovn-controller did not apply a northbound change within "
                                     + "\(ChassisStatus.connectWaitMilliseconds / 1_000) s: it is stopped or cut off from \(southbound)", fix: start)
        }
        return .ok(nil, "ovn-chassis", "chassis \(name) is registered and its ovn-controller connected")
    }

    /// `ovn-tunnels`: a geneve tunnel on br-int towards every other chassis's encap address.
    /// `others` maps each other chassis to its encap addresses; `remotes` are the tunnels'
    /// remote_ip options seen in the local Open vSwitch.
    public static func tunnels(others: [String: [String]], remotes: Set<String>) -> DoctorFinding {
        let missing = others.sorted { $0.key < $1.key }.filter { !$0.value.contains(where: remotes.contains) }
        guard missing.isEmpty else {
            let listed = missing.map { "\($0.key) (\($0.value.joined(separator: ",")))" }.joined(separator: ", ")
            return DoctorFinding(network: nil, check: "ovn-tunnels", status: .fail,
                                 detail: "no geneve tunnel on \(OVNNames.integrationBridge) to chassis \(listed)",
                                 fix: "check that ovn-controller runs here and that each chassis's ovn-encap-ip is reachable from this host's")
        }
        return .ok(nil, "ovn-tunnels", others.isEmpty ? "no other chassis" : "geneve tunnels to \(others.keys.sorted().joined(separator: ", "))")
    }

    /// `ovn-ports`: every vmnet port of the network is up, on a chassis. An unbound port is a
    /// guest that is off or unplugged: a warning, since a stopped VM is no fault of the network.
    public static func ports(network: String, _ ports: [Port]) -> DoctorFinding {
        let down = ports.filter { !$0.up || $0.chassis == nil }.sorted { $0.name < $1.name }
        guard down.isEmpty else {
            return DoctorFinding(network: network, check: "ovn-ports", status: .warn,
                                 detail: "not bound to any chassis: \(down.map(\.name).joined(separator: ", "))",
                                 fix: "start the guest, or plug its interface into \(OVNNames.integrationBridge) with external_ids:iface-id=PORT "
                                     + "('vmnet export \(network) --format libvirt-interface --host VM'); 'vmnet host remove' one that is gone")
        }
        let placed = ports.sorted { $0.name < $1.name }.map { "\($0.name) on \($0.chassis ?? "-")" }
        return .ok(network, "ovn-ports", placed.isEmpty ? "no ports" : "up: " + placed.joined(separator: ", "))
    }

    /// `ovn-mtu`: the MTU DHCP hands out fits geneve on the underlay (the interface holding this
    /// chassis's encap address): at most its MTU less 58 bytes, or TCP between hosts stalls.
    public static func mtu(network: String, dhcpMTU: Int?, underlayInterface: String?, underlayMTU: Int?) -> DoctorFinding {
        guard let underlayInterface, let underlayMTU else {
            return DoctorFinding(network: network, check: "ovn-mtu", status: .warn, detail: "no interface of this host holds its encap address",
                                 fix: "check ovn-encap-ip in 'ovs-vsctl get open . external_ids'")
        }
        let limit = underlayMTU - ClusterNetwork.geneveOverhead
        guard let dhcpMTU else {
            return DoctorFinding(network: network, check: "ovn-mtu", status: .fail,
                                 detail: "the network's DHCP options give no MTU: guests take 1500, more than \(limit) fits geneve on \(underlayInterface)",
                                 fix: "set options:mtu=\(limit) on the network's DHCP_Options ('ovn-nbctl dhcp-options-set-options')")
        }
        guard dhcpMTU <= limit else {
            return DoctorFinding(network: network, check: "ovn-mtu", status: .fail,
                                 detail: "DHCP gives MTU \(dhcpMTU), more than \(limit) (\(underlayInterface)'s \(underlayMTU) less geneve's "
                                     + "\(ClusterNetwork.geneveOverhead)): TCP between hosts stalls",
                                 fix: "set options:mtu=\(limit) on the network's DHCP_Options, or raise \(underlayInterface)'s MTU")
        }
        return .ok(network, "ovn-mtu", "DHCP MTU \(dhcpMTU) fits \(underlayInterface)'s \(underlayMTU) less geneve's \(ClusterNetwork.geneveOverhead)")
    }
}
