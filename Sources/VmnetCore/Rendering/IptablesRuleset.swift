/// Renders vmnet's iptables or ip6tables chains as `*-restore --noflush` input. Each chain is
/// declared, which empties it, then refilled: applying it twice gives the same rules. The
/// built-in chains only get one jump each (see `IptablesFamily.iptablesJumps`), never
/// per-network rules.
public enum IptablesRuleset {
    public struct Jump: Hashable, Sendable {
        public let table: String
        public let builtinChain: String
        public let target: String
    }

    /// The rules of one family; nil when no network has an address of it (then vmnet keeps no
    /// rule of that family at all).
    public static func render<Address: IptablesFamily>(
        _ family: Address.Type, _ networks: [NetworkRecord], allBridges: [String], forwards: [ResolvedForward] = []
    ) -> String? {
        let networks = networks.sorted { $0.name < $1.name }
        // The networks with an address of the family; bridged frames and isolation concern
        // every network whatever its families.
        let own = networks.compactMap { network in
            Address.subnet(of: network).flatMap { subnet in Address.gateway(of: network).map { (network: network, subnet: subnet, gateway: $0) } }
        }
        // A shielded network without the family still has the host's IPv6 link-local address
        // on its bridge: its rules are needed all the same.
        let shielded = networks.filter(\.hostAccess.shields)
        guard !own.isEmpty || !shielded.isEmpty else { return nil }
        let reject = "-j REJECT --reject-with \(Address.rejectWith)"
        let bridges = Array(Set(allBridges + networks.map(\.bridge))).sorted()
        var input: [String] = []
        var forward: [String] = []
        var nat: [String] = []
        var mangle: [String] = []
        // The host's address on another bridge is part of that network: isolation also closes
        // the way to it (its dnsmasq, ping, anything), ahead of the accepts.
        let isolatedBridges = Set(networks.filter(\.isolation).map(\.bridge))
        for (network, _, gateway) in own {
            for other in bridges where other != network.bridge && (network.isolation || isolatedBridges.contains(other)) {
                input.append("-A VMNET-INPUT -i \(other) -d \(gateway) \(reject)")
            }
        }
        // Each dnsmasq serves its own bridge (and the host, over lo) only.
        input.append("-A VMNET-INPUT -i lo -j RETURN")
        let dhcpPort = Address.dhcp.serverPort
        // host_access=services: what the host started is answered, ping too, the listed ports,
        // nothing else.
        func shield(_ network: NetworkRecord) -> [String] {
            let bridge = network.bridge
            return ["-A VMNET-INPUT -i \(bridge) -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"] + Address.pingAccepts(from: bridge)
                + network.hostAccess.ports.map { "-A VMNET-INPUT -i \(bridge) -p \($0.proto.rawValue) -m \($0.proto.rawValue) --dport \($0.iptablesPorts) -j ACCEPT" }
                + ["-A VMNET-INPUT -i \(bridge) \(reject)"]
        }
        for (network, _, gateway) in own {
            input += [
                "-A VMNET-INPUT ! -i \(network.bridge) -d \(gateway) -p udp -m multiport --dports 53,\(dhcpPort) \(reject)",
                "-A VMNET-INPUT ! -i \(network.bridge) -d \(gateway) -p tcp --dport 53 \(reject)",
            ]
        }
        for (network, _, _) in own {
            let bridge = network.bridge
            input += [
                "-A VMNET-INPUT -i \(bridge) -p udp --dport \(dhcpPort) -j ACCEPT",
                "-A VMNET-INPUT -i \(bridge) -p udp --dport 53 -j ACCEPT",
                "-A VMNET-INPUT -i \(bridge) -p tcp --dport 53 -j ACCEPT",
            ] + Address.hostAccepts(from: bridge)
            // TFTP (read request only: its transfer then runs between ports conntrack ties to it).
            if network.dhcpOptions.tftpRoot != nil && Address.self == IPv4Address.self {
                input.append("-A VMNET-INPUT -i \(bridge) -p udp --dport 69 -j ACCEPT")
            }
            if network.hostAccess.shields { input += shield(network) }
            if Address.fillsDHCPChecksum { mangle.append("-A VMNET-POSTROUTING -o \(bridge) -p udp --dport 68 -j CHECKSUM --checksum-fill") }
        }
        let ownBridges = Set(own.map(\.network.bridge))
        for network in shielded where !ownBridges.contains(network.bridge) { input += shield(network) }
        // Bridged frames pass FORWARD too (br_netfilter): guests of one bridge keep talking
        // (link-local at least) whether their network has this family or not.
        forward += networks.map { "-A VMNET-FORWARD -i \($0.bridge) -o \($0.bridge) -j ACCEPT" }
        // Isolation holds for every isolated network, with this family or not: a guest of a
        // network without IPv6 could still route through the host's link-local address.
        forward += isolation(networks, bridges: bridges, reject: reject)
        for (network, _, _) in own where network.mode == .hostOnly {
            forward += ["-A VMNET-FORWARD -i \(network.bridge) \(reject)", "-A VMNET-FORWARD -o \(network.bridge) \(reject)"]
        }
        let natBridges = Set(networks.filter { $0.mode == .nat }.map(\.bridge))
        let forwards = Address.carriesPortForwards ? forwards.filter { natBridges.contains($0.bridge) } : []
        let forwarded = Set(forwards.map(\.bridge))
        for (network, subnet, _) in own where network.mode == .nat {
            let destinations = network.egress.destinations.filter { $0.isIPv6 == (Address.self == IPv6Address.self) }
            forward += egress(network, subnet: subnet, bridges: bridges, ranges: Address.egressBlockedRanges, destinations: destinations, reject: reject)
            forward += [
                "-A VMNET-FORWARD -i \(network.bridge) -s \(subnet) -j ACCEPT",
                "-A VMNET-FORWARD -o \(network.bridge) -d \(subnet) -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            ]
            nat.append("-A VMNET-POSTROUTING -s \(subnet) ! -d \(subnet) -j MASQUERADE")
            guard forwarded.contains(network.bridge) else { continue }
            // A forward's flow, DNATed in VMNET-PREROUTING; and the hairpin (see NftRuleset).
            forward.append("-A VMNET-FORWARD -o \(network.bridge) -d \(subnet) -m conntrack --ctstate DNAT -j ACCEPT")
            nat.append("-A VMNET-POSTROUTING -s \(subnet) -o \(network.bridge) -m conntrack --ctstate DNAT -j MASQUERADE")
        }
        var prerouting: [String] = []
        var output: [String] = []
        for resolved in forwards.sorted(by: { ($0.bridge, $0.forward.port, $0.forward.proto.rawValue) < ($1.bridge, $1.forward.port, $1.forward.proto.rawValue) }) {
            let forward = resolved.forward
            let ports = forward.endPort > forward.port ? "\(forward.port):\(forward.endPort)" : "\(forward.port)"
            let to = forward.endPort > forward.port ? "\(resolved.targetIP)" : "\(resolved.targetIP):\(resolved.targetPort)"
            let match = "-p \(forward.proto.rawValue) -m \(forward.proto.rawValue) --dport \(ports) -j DNAT --to-destination \(to)"
            let local = forward.address.map { "-d \($0)/32" } ?? "-m addrtype --dst-type LOCAL"
            prerouting.append("-A VMNET-PREROUTING \(local) \(match)")
            output.append("-A VMNET-OUTPUT \(forward.address == nil ? "! -d 127.0.0.0/8 " : "")\(local) \(match)")
        }
        // A NAT network without this family forwards none of it (see NftRuleset).
        for network in networks where network.mode == .nat {
            forward += ["-A VMNET-FORWARD -i \(network.bridge) \(reject)", "-A VMNET-FORWARD -o \(network.bridge) \(reject)"]
        }
        let rules: [String: [String]] = [
            "filter INPUT": input, "filter FORWARD": forward, "nat PREROUTING": prerouting, "nat OUTPUT": output,
            "nat POSTROUTING": nat, "mangle POSTROUTING": mangle,
        ]
        var tables: [String] = []
        for jump in Address.iptablesJumps where !tables.contains(jump.table) { tables.append(jump.table) }
        var lines: [String] = []
        for table in tables {
            let jumps = Address.iptablesJumps.filter { $0.table == table }
            lines += ["*\(table)"] + jumps.map { ":\($0.target) - [0:0]" }
            lines += jumps.flatMap { rules["\(table) \($0.builtinChain)"] ?? [] } + ["COMMIT"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rules of a NAT network's egress policy, ahead of its accept: new flows leaving the
    /// host (to another vmnet bridge is isolation's part, accepted first) to `ranges`, or at
    /// all but to the listed `destinations` (those of this family). Replies of forwarded flows
    /// are established and pass.
    static func egress(
        _ network: NetworkRecord, subnet: some CustomStringConvertible, bridges: [String], ranges: [String], destinations: [EgressDestination], reject: String
    ) -> [String] {
        guard network.egress != .all else { return [] }
        let bridge = network.bridge
        let blocked = network.egress == .internet ? ranges.map { " -d \($0)" } : [""]
        let allowed = destinations.map { destination in
            let port = destination.port.map { " -p \($0.proto.rawValue) -m \($0.proto.rawValue) --dport \($0.iptablesPorts)" } ?? ""
            return "-A VMNET-FORWARD -i \(bridge) -d \(destination.subnet)\(port) -m conntrack --ctstate NEW -j ACCEPT"
        }
        return bridges.filter { $0 != bridge }.map { "-A VMNET-FORWARD -i \(bridge) -o \($0) -s \(subnet) -j ACCEPT" }
            + allowed + blocked.map { "-A VMNET-FORWARD -i \(bridge)\($0) -m conntrack --ctstate NEW \(reject)" }
    }

    /// The rejects between each isolated network and every other bridge. Two isolated networks
    /// would each reject the pair: one copy of each rule is kept.
    static func isolation(_ networks: [NetworkRecord], bridges: [String], reject: String) -> [String] {
        var isolation: [String] = []
        // A set beside the list: 50 isolated networks make 5,000 rules, and a scan of the list
        // for each took ~80 ms.
        var seen: Set<String> = []
        for network in networks where network.isolation {
            for other in bridges where other != network.bridge {
                for rule in ["-A VMNET-FORWARD -i \(network.bridge) -o \(other) \(reject)", "-A VMNET-FORWARD -i \(other) -o \(network.bridge) \(reject)"]
                where seen.insert(rule).inserted {
                    isolation.append(rule)
                }
            }
        }
        return isolation
    }

    /// `*-restore --noflush` input that removes `jumps` and their chains, as far as `saved`
    /// (the `*-save` output) holds them; nil when it holds none. One process instead of a
    /// delete, flush and removal per chain.
    public static func removal(saved: String, jumps: [Jump]) -> String? {
        var table = ""
        var deletions: [String: [String]] = [:]
        var chains: [String: [String]] = [:]
        for line in saved.split(separator: "\n").map(String.init) {
            if line.hasPrefix("*") { table = String(line.dropFirst()) }
            for jump in jumps where jump.table == table {
                if line == "-A \(jump.builtinChain) -j \(jump.target)" { deletions[table, default: []].append("-D \(jump.builtinChain) -j \(jump.target)") }
                if line.hasPrefix(":\(jump.target) ") { chains[table, default: []].append(jump.target) }
            }
        }
        let tables = Set(deletions.keys).union(chains.keys).sorted()
        guard !tables.isEmpty else { return nil }
        return tables.map { table in
            let owned = chains[table] ?? []
            return (["*\(table)"] + (deletions[table] ?? []) + owned.map { "-F \($0)" } + owned.map { "-X \($0)" } + ["COMMIT"]).joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }
}
