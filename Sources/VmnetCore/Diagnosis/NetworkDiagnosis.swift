/// Doctor's verdicts on one network, from what was observed: pure, so every verdict is
/// tested without root. One finding per check, in a fixed order.
public enum NetworkDiagnosis {
    /// The checks this type makes; other sources (firewall coexistence, the host resolver)
    /// add their own names.
    public enum Check: String, CaseIterable, Sendable {
        case bridge, bridgeUp = "bridge-up", gatewayAddress = "gateway-address", gatewayAddress6 = "gateway6-address", ports
        case dnsmasq, dnsmasqListening = "dnsmasq-listening", dnsmasqFiles = "dnsmasq-files", foreignServer = "foreign-dhcp-dns"
        case firewall, forwarding = "ip-forward", ipv6Forwarding = "ip6-forward", subnet, runtimeFiles = "runtime-files"
    }

    /// The checks whose failure `NetworkStatus` already words itself (bridge, dnsmasq, rules).
    public static let statusChecks: Set<String> = [Check.bridge.rawValue, Check.dnsmasq.rawValue, Check.firewall.rawValue]

    public static func findings(
        for network: NetworkRecord, observed: NetworkObservation, host: HostObservation, networks: [NetworkRecord]
    ) -> [DoctorFinding] {
        findings(for: [network], observed: [observed], host: host, networks: networks)[0]
    }

    /// The findings of each of `records` (with `observed` in the same order); what is the
    /// same for every network is judged once.
    public static func findings(
        for records: [NetworkRecord], observed: [NetworkObservation], host: HostObservation, networks: [NetworkRecord]
    ) -> [[DoctorFinding]] {
        let conflicts = SubnetCollision.conflicts(of: IPv4Address.self, for: records, host: host.host, networks: networks)
        let conflicts6 = SubnetCollision.conflicts(of: IPv6Address.self, for: records, host: host.host, networks: networks)
        var shared = Shared(foreign: foreignServers(host), nftRules: records.first.map(NftCompleteness.expectedRuleCounts(like:)) ?? [:])
        for socket in host.sockets where socket.isListening {
            shared.listeners["\(socket.proto.rawValue) \(socket.address):\(socket.port)", default: []].insert(socket.inode)
        }
        return zip(records, observed).map { record, observation in
            findings(for: record, observed: observation, host: host,
                     collision: SubnetCollision.describe(record, conflicts[record.name] ?? [], conflicts6[record.name] ?? []), shared: shared,
                     covering: conflicts[record.name] == nil ? [] : CoveringRoute.routes(covering: record, host: host.host))
        }
    }

    /// What is the same for every network, worked out once.
    private struct Shared {
        let foreign: (status: DoctorFinding.Status, detail: String, fix: String?)
        let nftRules: [String: Int]
        /// Socket inodes by "PROTO ADDRESS:PORT".
        var listeners: [String: Set<UInt64>] = [:]
    }

    private static func findings(
        for network: NetworkRecord, observed: NetworkObservation, host: HostObservation, collision: String?, shared: Shared,
        covering: [CoveringRoute] = []
    ) -> [DoctorFinding] {
        let name = network.name.value
        let up = "vmnet up \(name)"
        var findings: [DoctorFinding] = []
        func add(_ check: Check, _ status: DoctorFinding.Status, _ detail: String, fix: String? = nil) {
            findings.append(DoctorFinding(network: name, check: check.rawValue, status: status, detail: detail, fix: status == .ok ? nil : fix))
        }
        guard network.enabled else {
            add(.bridge, observed.bridgePresent ? .fail : .ok, observed.bridgePresent ? "network is down but \(network.bridge) still exists" : "network is down", fix: "vmnet down \(name)")
            if observed.dnsmasqRunning { add(.dnsmasq, .fail, "network is down but its dnsmasq still runs", fix: "vmnet down \(name)") }
            if let collision { add(.subnet, .warn, collision + ": 'vmnet up' will refuse", fix: collisionFix) }
            runtimeFiles(network, observed, add)
            return findings
        }

        let bridge = network.bridge
        let gateway = "\(network.gateway)/\(network.subnet.prefixLength)"
        if observed.bridgePresent {
            add(.bridge, .ok, "\(bridge) exists")
            add(.bridgeUp, observed.bridgeUp ? .ok : .fail, observed.bridgeUp ? "\(bridge) is up" : "\(bridge) is set down", fix: up)
            let carries = host.host.addresses.contains { $0.interface == bridge && $0.address == network.gateway && $0.prefixLength == network.subnet.prefixLength }
            add(.gatewayAddress, carries ? .ok : .fail, carries ? "\(bridge) carries \(gateway)" : "\(bridge) lacks the gateway address \(gateway)", fix: up)
            if let gateway6 = network.gateway6 {
                let carries6 = host.host.addresses6.contains { $0.interface == bridge && $0.address == gateway6 && $0.prefixLength == AddressPlan6.prefixLength }
                if !carries6 {
                    add(.gatewayAddress6, .fail, "\(bridge) lacks the IPv6 gateway address \(gateway6)/64", fix: up)
                } else if observed.linkLocal6Present == false {
                    add(.gatewayAddress6, .fail,
                        "\(bridge) lacks its link-local address \(BridgeMAC.linkLocal(for: network.name)), which dnsmasq's router advertisements come from", fix: up)
                } else {
                    add(.gatewayAddress6, .ok, "\(bridge) carries \(gateway6)/64", fix: up)
                }
            }
            let keeper = BridgeNamer.keeperPort(for: bridge).port
            let listed = observed.ports.isEmpty ? "none" : observed.ports.joined(separator: ", ")
            let keeps = observed.ports.contains(keeper)
            add(.ports, keeps ? .ok : .warn, keeps ? "ports: \(listed)" : "ports: \(listed); the keeper port \(keeper) is missing (podman may delete the bridge)", fix: up)
        } else {
            add(.bridge, .fail, "bridge \(bridge) is missing", fix: up)
        }

        if observed.dnsmasqRunning, let pid = observed.pidFilePid {
            add(.dnsmasq, .ok, "pid \(pid) runs with this network's configuration")
            // Nil: ownership not read (`list`), judged by address; [name] nil: unreadable (not root).
            let owned = host.dnsmasqSockets.map { $0[network.name] }
            if let owned, owned == nil {
                add(.dnsmasqListening, .warn, "cannot read dnsmasq's sockets", fix: "run vmnet doctor as root")
            } else {
                let mine = owned ?? nil
                func held(_ proto: SocketEntry.Proto, _ address: IPv4Address, _ port: UInt16) -> Bool {
                    let inodes = shared.listeners["\(proto.rawValue) \(address):\(port)"] ?? []
                    return mine.map { !inodes.isDisjoint(with: $0) } ?? !inodes.isEmpty
                }
                var absent: [String] = []
                if !held(.udp, network.gateway, 53) { absent.append("\(network.gateway):53/udp") }
                if !held(.tcp, network.gateway, 53) { absent.append("\(network.gateway):53/tcp") }
                // Every vmnet dnsmasq holds a 0.0.0.0:67 socket bound to its bridge: only its owner tells which.
                if mine != nil, !held(.udp, IPv4Address(0), 67) { absent.append("0.0.0.0%\(bridge):67/udp") }
                add(.dnsmasqListening, absent.isEmpty ? .ok : .fail,
                    absent.isEmpty ? "listens on \(network.gateway):53 and :67" : "dnsmasq does not listen on " + absent.joined(separator: ", "),
                    fix: "vmnet down \(name) && vmnet up \(name)")
            }
        } else if let pid = observed.pidFilePid {
            add(.dnsmasq, .fail, "the pid file names pid \(pid), which is not this network's dnsmasq", fix: up)
        } else {
            add(.dnsmasq, .fail, "dnsmasq is not running", fix: up)
        }
        dnsmasqFiles(network, observed, host, add)
        add(.foreignServer, shared.foreign.status, shared.foreign.detail, fix: shared.foreign.fix)

        switch network.firewall {
        case .nftables:
            let missing = NftCompleteness.missing(for: network, in: host.nftTable, expected: shared.nftRules)
            add(.firewall, missing.isEmpty ? .ok : .fail,
                missing.isEmpty ? "table \(NftRuleset.table) has its chains, rules and this network's elements" : "nftables: " + missing.joined(separator: "; "), fix: up)
        case .iptables:
            let missing = IptablesCompleteness.missing(of: IPv4Address.self, for: network, save: host.iptablesSave ?? "")
                + IptablesCompleteness.missing(of: IPv6Address.self, for: network, save: host.ip6tablesSave ?? "")
            add(.firewall, missing.isEmpty ? .ok : .fail,
                missing.isEmpty ? "vmnet's iptables chains and jumps are in place" : "iptables: missing " + missing.joined(separator: "; "), fix: up)
        }
        if network.mode == .nat {
            add(.forwarding, host.ipForwarding ? .ok : .fail,
                host.ipForwarding ? "net.ipv4.ip_forward is 1" : "net.ipv4.ip_forward is 0: NAT traffic is not forwarded", fix: up)
        }
        if !AcceptRAGuard.needing([network]).isEmpty {
            add(.ipv6Forwarding, host.ipv6Forwarding ? .ok : .fail,
                host.ipv6Forwarding ? "net.ipv6.conf.all.forwarding is 1" : "net.ipv6.conf.all.forwarding is 0: NAT66 traffic is not forwarded", fix: up)
        }
        let subnets = network.subnetDescriptions.joined(separator: " and ")
        if let collision, !covering.isEmpty {
            add(.subnet, .fail, ([collision] + covering.map { $0.explanation(for: network) }).joined(separator: "; "), fix: CoveringRoute.fix(for: network))
        } else {
            add(.subnet, collision == nil ? .ok : .fail, collision ?? "\(subnets) collide with nothing", fix: collisionFix)
        }
        runtimeFiles(network, observed, add)
        return findings
    }

    private static let collisionFix = "remove the colliding address or route, or destroy the network and create it again"

    private static func dnsmasqFiles(
        _ network: NetworkRecord, _ observed: NetworkObservation, _ host: HostObservation, _ add: (Check, DoctorFinding.Status, String, String?) -> Void
    ) {
        let user = host.dnsmasqUser
        var problems: [String] = []
        var fixes: [String] = []
        for chain in observed.hostListPaths {
            if let denied = chain.first(where: { $0.map { !$0.allows(uid: user.uid, gid: user.gid) } ?? false }), let denied {
                problems.append("\(user.name) cannot \(denied.isDirectory ? "enter" : "read") \(denied.path) (mode \(denied.modeText), owner uid \(denied.owner))")
                fixes.append("chmod \(denied.isDirectory ? "o+x" : "o+r") \(denied.path)")
            } else if chain.last.map({ $0 == nil }) ?? true {
                problems.append("a host list is missing")
                fixes.append("vmnet reload \(network.name)")
            }
        }
        add(.dnsmasqFiles, problems.isEmpty ? .ok : .fail,
            problems.isEmpty ? "its host lists are readable by \(user.name)" : Array(Set(problems)).sorted().joined(separator: "; "),
            problems.isEmpty ? nil : Array(Set(fixes)).sorted().joined(separator: "; "))
    }

    private static func foreignServers(_ host: HostObservation) -> (status: DoctorFinding.Status, detail: String, fix: String?) {
        let fix = "stop it, or make it bind only its own interfaces (dnsmasq: bind-interfaces)"
        guard let owned = host.dnsmasqSockets else {
            let wildcard = host.sockets.filter { $0.isWildcard && $0.isListening }
            let dhcp = wildcard.filter { $0.port == 67 }.count
            guard dhcp > host.runningDnsmasqs || wildcard.contains(where: { $0.port == 53 }) else {
                return (.ok, "no other server holds 0.0.0.0:53 or :67", nil)
            }
            return (.fail, "another server listens on 0.0.0.0:67 or :53 ('vmnet doctor' names it): it takes DHCP or DNS meant for the bridges", fix)
        }
        guard host.seesAllSockets else { return (.warn, "cannot tell who holds 0.0.0.0:53 and :67", "run vmnet doctor as root") }
        let vmnet = owned.values.reduce(into: Set<UInt64>()) { $0.formUnion($1) }
        let foreign = host.sockets.filter { $0.isWildcard && $0.isListening && [53, 67].contains($0.port) && !vmnet.contains($0.inode) }
        guard !foreign.isEmpty else { return (.ok, "no other server holds 0.0.0.0:53 or :67", nil) }
        let described = foreign.map { socket in
            "0.0.0.0:\(socket.port)/\(socket.proto.rawValue) is held by \(host.socketOwners[socket.inode] ?? "another process")"
        }
        return (.fail, Array(Set(described)).sorted().joined(separator: "; ") + ": it takes DHCP or DNS meant for the bridge", fix)
    }

    private static func runtimeFiles(_ network: NetworkRecord, _ observed: NetworkObservation, _ add: (Check, DoctorFinding.Status, String, String?) -> Void) {
        if let problem = observed.runtimesProblem {
            add(.runtimeFiles, .fail, problem, "repair the file; until then 'vmnet uninstall' and 'vmnet destroy' refuse")
            return
        }
        guard !observed.runtimeFiles.isEmpty else {
            add(.runtimeFiles, .ok, "no runtime installed", nil)
            return
        }
        let gone = observed.runtimeFiles.filter { !$0.present }
        add(.runtimeFiles, gone.isEmpty ? .ok : .fail,
            gone.isEmpty ? observed.runtimeFiles.map { "\($0.kind.rawValue): \($0.path)" }.joined(separator: ", ")
                : gone.map { "\($0.kind.rawValue) file \($0.path) is gone" }.joined(separator: "; "),
            gone.isEmpty ? nil : "vmnet install \(network.name) " + gone.map { "--\($0.kind.rawValue)" }.joined(separator: " "))
    }
}
